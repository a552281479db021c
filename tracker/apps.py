from django.apps import AppConfig
from django.db.models.signals import post_migrate

from . import pg_datetimes

EDITORS_GROUP = "editors"


def ensure_editors_group(sender, using="default", **kwargs):
    """The editors group may add and change the domain's records (admin and API)."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.using(using).get_or_create(name=EDITORS_GROUP)
    perms = Permission.objects.using(using).filter(
        content_type__app_label__in=["tracker", "regulators"],
        codename__regex=r"^(add|change|view|delete)_",
    ).exclude(codename__startswith="delete_historical")
    group.permissions.add(*perms)


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Deals and reviews"

    def ready(self):
        post_migrate.connect(ensure_editors_group, sender=self, dispatch_uid="tracker-editors-group")
        pg_datetimes.register()
