from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ImportsConfig(AppConfig):
    name = "imports"
    label = "imports"
    verbose_name = "Registry imports"

    def ready(self):
        from tracker.editors import let_editors_keep

        # Editors work the queue: they accept, reject and attach proposals.
        post_migrate.connect(let_editors_keep, sender=self, dispatch_uid="imports-editors")
