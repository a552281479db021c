import gc
import os

from celery import Celery
from celery.signals import beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def freeze_what_the_pool_inherits(**kwargs) -> None:
    """The pool's processes are forked from the worker's after this: what it has loaded
    (Django, the apps, the task modules) they share with it page by page until one writes
    to a page. The cyclic garbage collector writes to every object it examines, so each
    full collection in each process used to copy the whole inherited heap and walk it
    again; frozen objects are left out of collections."""
    gc.freeze()


@beat_init.connect
def schedule_the_imports(sender, **kwargs) -> None:
    """Each registry's import, on the schedule it declares: the sources are known once the
    apps are loaded, which is when beat starts, before it reads its schedule."""
    from imports.schedule import beat_entries

    from .settings.environment import beat_schedule

    entries = {
        name: {**entry, "schedule": beat_schedule(entry["schedule"])}
        for name, entry in beat_entries().items()
    }
    sender.app.conf.beat_schedule = {**sender.app.conf.beat_schedule, **entries}
