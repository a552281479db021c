from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DigestsConfig(AppConfig):
    name = "digests"
    verbose_name = "Digests and calendar feeds"

    def ready(self):
        # Imported here: it uses the auth models, which are not loaded when this module is.
        from tracker.editors import keep_from_editors

        # Digests and calendar secrets belong to their users: superusers only.
        post_migrate.connect(keep_from_editors, sender=self, dispatch_uid="digests-editors")
