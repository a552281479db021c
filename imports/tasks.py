"""The scheduled import: a thin task around the runner."""

import datetime

from celery import shared_task

from .choices import RunStatus
from .models import ImportRun
from .runner import run_import
from .sources import source_named


def scheduled_since(source: str) -> datetime.date | None:
    """Where a scheduled run starts reading: from the source's overlap before the last complete
    run, for a source listed by date; None (the whole list) for the others."""
    overlap = source_named(source).scheduled_overlap
    if overlap is None:
        return None
    last = (
        ImportRun.objects.filter(source=source, status=RunStatus.OK).order_by("-started_at").first()
    )
    return last.started_at.date() - overlap if last else None


@shared_task(name="imports.run", ignore_result=True)
def run(source: str) -> dict:
    report = run_import(source, since=scheduled_since(source))
    return {"run": report.run.pk, "status": report.run.status}
