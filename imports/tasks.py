"""The scheduled import: a thin task around the runner."""

import datetime

from celery import shared_task

from .choices import RunStatus, Source
from .models import ImportRun
from .runner import run_import

# The Federal Register is listed by publication date: a scheduled run reads from a week
# before the last complete run, not from the beginning (the CMA's list is checked whole,
# cheaply, against the entries already seen).
OVERLAP = datetime.timedelta(days=7)


def scheduled_since(source: str) -> datetime.date | None:
    if source != Source.FEDERAL_REGISTER:
        return None
    last = (
        ImportRun.objects.filter(source=source, status=RunStatus.OK).order_by("-started_at").first()
    )
    return last.started_at.date() - OVERLAP if last else None


@shared_task(name="imports.run", ignore_result=True)
def run(source: str) -> dict:
    report = run_import(source, since=scheduled_since(source))
    return {"run": report.run.pk, "status": report.run.status}
