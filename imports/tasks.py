"""The scheduled import: a thin task around the runner."""

from celery import shared_task

from .runner import run_import


@shared_task(name="imports.run", ignore_result=True)
def run(source: str) -> dict:
    report = run_import(source)
    return {"run": report.run.pk, "status": report.run.status}
