"""The scheduled imports: beat's entries, and the task they run."""

import pytest
from celery.schedules import crontab
from django.conf import settings

from imports.models import ImportRun
from imports.tasks import run as run_task

from .govuk import amazon_anthropic


def test_beat_imports_each_register_hourly_by_default():
    entries = {
        name: entry
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if name.startswith("imports-")
    }
    assert sorted(entries) == ["imports-cma", "imports-federal_register"]
    for source, entry in (
        ("cma", entries["imports-cma"]),
        ("federal_register", entries["imports-federal_register"]),
    ):
        assert (entry["task"], entry["args"]) == ("imports.run", [source])
        assert isinstance(entry["schedule"], crontab) and entry["schedule"].hour == set(range(24))


@pytest.mark.django_db
def test_the_task_runs_an_import_and_records_it(registry):
    registry.cases = [amazon_anthropic()]

    result = run_task.delay("cma").get()

    run = ImportRun.objects.get()
    assert result == {"run": run.pk, "status": "ok"}
    assert run.created == 1


@pytest.mark.django_db
def test_a_scheduled_federal_register_run_reads_from_a_week_before_the_last_complete_run(registry):
    import datetime

    from django.utils import timezone

    registry.fr_pages = [[]]
    ImportRun.objects.create(
        source="federal_register",
        status="ok",
        started_at=timezone.make_aware(datetime.datetime(2026, 11, 20, 10)),
    )
    ImportRun.objects.create(
        source="federal_register",
        status="unreachable",
        started_at=timezone.make_aware(datetime.datetime(2026, 11, 28, 10)),
    )

    run_task.delay("federal_register").get()

    [request] = registry.requests_to("/api/v1/documents.json")
    assert request.args["conditions[publication_date][gte]"] == "2026-11-13"
