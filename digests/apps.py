from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DigestsConfig(AppConfig):
    name = "digests"
    verbose_name = "Digests and calendar feeds"

    def ready(self):
        # Imported here: it uses the auth models, which are not loaded when this module is.
        from tracker.editors import let_editors_read

        # Digests and calendar secrets belong to their users: editors may read, not change.
        post_migrate.connect(let_editors_read, sender=self, dispatch_uid="digests-editors")
