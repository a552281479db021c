import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Tasks living in sub-packages of an app are not found by the default discovery.
app.autodiscover_tasks(["tracker.notices", "tracker.digests"])
