"""The editors group: who may keep the data, in the admin and through the API.

Each app says, after its migrations, which actions editors have on its models; the
group's permissions on that app are then exactly those, so narrowing them here also
narrows them on a database that granted more before.
"""

from django.contrib.auth.models import Group, Permission

EDITORS_GROUP = "editors"
ALL_ACTIONS = ("add", "change", "view", "delete")


def grant_editors(
    app_label: str, actions: tuple[str, ...] = ALL_ACTIONS, using: str = "default"
) -> None:
    group, _ = Group.objects.using(using).get_or_create(name=EDITORS_GROUP)
    of_app = Permission.objects.using(using).filter(content_type__app_label=app_label)
    # Audit history is kept: nobody deletes historical records from the admin.
    granted = (
        of_app.filter(codename__regex=rf"^({'|'.join(actions)})_").exclude(
            codename__startswith="delete_historical"
        )
        if actions
        else of_app.none()
    )
    group.permissions.remove(*of_app.exclude(pk__in=granted))
    group.permissions.add(*granted)


def let_editors_keep(sender, using="default", **kwargs):
    """post_migrate receiver: editors add, change and delete the sending app's records."""
    grant_editors(sender.label, using=using)


def keep_from_editors(sender, using="default", **kwargs):
    """post_migrate receiver: the sending app's records are its users' own (their addresses,
    webhook URLs that often carry a receiver's secret): superusers only."""
    grant_editors(sender.label, (), using=using)
