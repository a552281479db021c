"""python manage.py import_registry SOURCE [--since DATE] [--limit N] [--dry-run] [--sample]

Exit status: 0 when every item went in, 1 when some failed, 2 when the register could not be read.
"""

import argparse
import datetime
import sys

from django.core.management.base import BaseCommand, CommandError

from imports.runner import run_import
from imports.sources import all_sources


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        # argparse turns this into one usage line and exit status 2, as for any bad argument.
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {value!r}") from None


class Command(BaseCommand):
    help = "Import cases and notices from a regulator's register."

    def add_arguments(self, parser):
        parser.add_argument("source", choices=sorted(all_sources()))
        parser.add_argument(
            "--since",
            type=_date,
            help="Only items published or changed from this date (YYYY-MM-DD).",
        )
        parser.add_argument("--limit", type=int, help="Stop after this many listed items.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would change; write nothing."
        )
        parser.add_argument(
            "--sample",
            action="store_true",
            help="Read the sample documents shipped with the source instead of the network.",
        )

    def handle(self, *args, source, since, limit, dry_run, sample, **options):
        if limit is not None and limit < 1:
            raise CommandError("--limit: must be at least 1")
        bar = self._progress_bar(source)
        verbose = dry_run or bar is None

        def on_item(item):
            if bar is not None:
                bar.update(1)
            if verbose and (item.outcome not in ("unchanged", "skipped") or dry_run):
                self.stdout.write(f"{item.outcome:9} {item.source_id}")
                for line in item.details:
                    self.stdout.write(f"          {line}")

        report = run_import(
            source, since=since, limit=limit, dry_run=dry_run, sample=sample, on_item=on_item
        )
        if bar is not None:
            bar.close()
        run = report.run
        counts = ", ".join(
            f"{name} {getattr(run, name)}"
            for name in (
                "fetched",
                "created",
                "updated",
                "unchanged",
                "queued",
                "skipped",
                "failed",
            )
        )
        self.stdout.write(
            f"{'Dry run (nothing written): ' if dry_run else ''}{source}"
            f"{' (sample documents)' if sample else ''}: {run.get_status_display()}; {counts}"
        )
        for failure in run.failures:
            self.stderr.write(f"failed {failure['item']}: {failure['reason']}")
        if run.error:
            self.stderr.write(f"unreachable: {run.error}")
        if report.exit_status:
            sys.exit(report.exit_status)

    def _progress_bar(self, source):
        """A bar on a terminal; plain lines when the output is a file or a pipe."""
        if not self.stdout.isatty():
            return None
        from tqdm import tqdm

        return tqdm(desc=f"import {source}", unit=" items", file=sys.stderr)
