from django.apps import AppConfig
from django.db.models.signals import post_migrate

from tracker.signals import event_recorded


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = "Notices"

    def ready(self):
        # Imported here: both use models, which are not loaded when this module is.
        from tracker.editors import let_editors_read

        from .dispatch import on_event_recorded

        event_recorded.connect(on_event_recorded, dispatch_uid="notices-record-deliveries")
        # Subscriptions, webhook endpoints and deliveries belong to their users: editors
        # may read them; only superusers change them.
        post_migrate.connect(let_editors_read, sender=self, dispatch_uid="notices-editors")
