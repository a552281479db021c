from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate

from database import pg_datetimes


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Deals and reviews"

    def ready(self):
        # Imported here: the auth models need the app registry, which is not ready at import.
        from .editors import let_editors_keep

        # Editors keep the domain: deals, parties, reviews, events, and the regulators below it.
        post_migrate.connect(let_editors_keep, sender=self, dispatch_uid="tracker-editors")
        post_migrate.connect(
            let_editors_keep,
            sender=apps.get_app_config("regulators"),
            dispatch_uid="regulators-editors",
        )
        pg_datetimes.register()
