"""The scheduled imports: beat's entries, and the task they run."""

import pytest
from celery import Celery
from celery.beat import Service
from celery.schedules import crontab
from celery.signals import beat_init
from django.conf import settings

from imports.models import ImportRun
from imports.tasks import run as run_task

from .govuk import amazon_anthropic


def _beat_schedule_once_started() -> dict:
    """Beat's schedule as it stands once beat has started (its start signal sent)."""
    app = Celery("schedule-test")
    app.conf.beat_schedule = dict(settings.CELERY_BEAT_SCHEDULE)
    beat_init.send(sender=Service(app=app))
    return app.conf.beat_schedule


def test_beat_imports_each_keyless_register_by_default():
    entries = {
        name: entry
        for name, entry in _beat_schedule_once_started().items()
        if name.startswith("imports-")
    }
    assert "notices-requeue-due" in _beat_schedule_once_started()
    assert {"imports-cma", "imports-federal_register"} <= set(entries)
    for source in ("cma", "federal_register"):
        entry = entries[f"imports-{source}"]
        assert (entry["task"], entry["args"]) == ("imports.run", [source])
        assert isinstance(entry["schedule"], crontab) and entry["schedule"].hour == set(range(24))


def test_a_source_s_schedule_setting_moves_or_stops_it(settings):
    settings.IMPORTS_CMA_SCHEDULE = "0 6 * * *"
    settings.IMPORTS_FEDERAL_REGISTER_SCHEDULE = "0"

    entries = _beat_schedule_once_started()

    assert entries["imports-cma"]["schedule"].hour == {6}
    assert "imports-federal_register" not in entries


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
