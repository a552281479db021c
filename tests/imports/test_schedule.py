"""The scheduled imports: beat's entries, and the task they run."""

import pytest
from celery.schedules import crontab
from django.conf import settings

from imports.models import ImportRun
from imports.tasks import run as run_task

from .govuk import amazon_anthropic


def test_beat_imports_each_register_hourly_by_default():
    entries = {name: entry for name, entry in settings.CELERY_BEAT_SCHEDULE.items() if name.startswith("imports-")}
    assert sorted(entries) == ["imports-cma", "imports-federal_register"]
    for source, entry in (("cma", entries["imports-cma"]), ("federal_register", entries["imports-federal_register"])):
        assert (entry["task"], entry["args"]) == ("imports.run", [source])
        assert isinstance(entry["schedule"], crontab) and entry["schedule"].hour == set(range(24))


@pytest.mark.django_db
def test_the_task_runs_an_import_and_records_it(registry):
    registry.cases = [amazon_anthropic()]

    result = run_task.delay("cma").get()

    run = ImportRun.objects.get()
    assert result == {"run": run.pk, "status": "ok"}
    assert run.created == 1
