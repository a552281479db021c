from django.apps import AppConfig
from django.db.models.signals import post_migrate

from tracker.signals import event_recorded


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = "Notices"

    def ready(self):
        # Imported here: both use models, which are not loaded when this module is.
        from tracker.editors import keep_from_editors

        from .dispatch import on_event_recorded

        event_recorded.connect(on_event_recorded, dispatch_uid="notices-record-deliveries")
        # Subscriptions, webhook endpoints and deliveries belong to their users (addresses,
        # webhook URLs with secrets in them): superusers only, editors neither read nor change.
        post_migrate.connect(keep_from_editors, sender=self, dispatch_uid="notices-editors")
