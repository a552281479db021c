"""One import run: read a registry's list, fetch what changed, apply each item in its own
transaction, and record the run with its counts and failures.

The next items' content is fetched and parsed ahead by a few threads while this one writes:
the items are still applied one by one in the list's order, and only this thread touches
the database.
"""

from __future__ import annotations

import datetime
import logging
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from database.writes import FlushlessCommits

from . import provenance
from .applier import Applier
from .choices import RunStatus
from .client import FetchError, PoliteClient, SourceUnreachable
from .models import ImportRun
from .records import ParseError
from .samples import SampleAdapter
from .sources import source_named

logger = logging.getLogger(__name__)

EXIT_OK, EXIT_SOME_FAILED, EXIT_UNREACHABLE = 0, 1, 2


@dataclass
class ItemReport:
    source_id: str
    outcome: str  # created, updated, unchanged, queued, skipped, failed
    details: list[str] = field(default_factory=list)
    queued: bool = False  # it put something in the editors' queue (also when created or updated)


@dataclass
class RunReport:
    run: ImportRun
    items: list[ItemReport] = field(default_factory=list)

    @property
    def exit_status(self) -> int:
        if self.run.status == RunStatus.UNREACHABLE:
            return EXIT_UNREACHABLE
        return EXIT_SOME_FAILED if self.run.failed else EXIT_OK


class _DryRun(Exception):
    """Raised at the end of a dry-run item so its transaction rolls back."""


def run_import(
    source: str,
    *,
    since: datetime.date | None = None,
    limit: int | None = None,
    dry_run: bool = False,
    client: PoliteClient | None = None,
    sample: bool = False,
    on_item: Callable[[ItemReport], None] | None = None,
) -> RunReport:
    """Import `source`; a dry run applies each item and rolls it back, and records no run.
    `sample` reads the documents the project ships for the source instead of the network."""
    registry = source_named(source)
    client = client or PoliteClient(adapter=SampleAdapter(registry) if sample else None)
    run = ImportRun(source=source, started_at=timezone.now(), since=since)
    if not dry_run:
        run.save()
    report = RunReport(run)
    seen = provenance.seen_fingerprints(source)
    applier = Applier()
    # An item's commit need not wait for the disk: after a crash the last items are simply
    # imported again (their search entries were not marked seen either).
    commits = FlushlessCommits()
    ahead = Prefetch(registry, client, seen, settings.IMPORTS_PREFETCH)
    off = "" if sample else registry.off_because()
    try:
        if off:
            raise SourceUnreachable(registry.title, f"the source is off: {off}")
        run.source_state = _last_complete_state(source)
        listed = registry.list_entries(client, since or registry.first_run_since, run.source_state)
        for entry, content in ahead.items(listed, limit):
            run.fetched += 1
            item = _import_one(registry, applier, entry, content, seen, dry_run, commits)
            setattr(run, item.outcome, getattr(run, item.outcome) + 1)
            if item.queued and item.outcome != "queued":
                run.queued += 1
            if item.outcome == "failed":
                run.failures.append(
                    {"item": entry.source_id, "url": entry.url, "reason": item.details[0]}
                )
            report.items.append(item)
            if on_item:
                on_item(item)
    except SourceUnreachable as exc:
        run.status, run.error = RunStatus.UNREACHABLE, str(exc)
        logger.warning("Import of %s stopped: %s", source, exc)
    else:
        run.status = RunStatus.PARTIAL if run.failed else RunStatus.OK
    finally:
        ahead.close()
        commits.end()
    run.finished_at = timezone.now()
    if not dry_run:
        run.save()
    return report


def _last_complete_state(source: str) -> dict:
    """What the source kept at its last complete run, for this one to start from."""
    last = (
        ImportRun.objects.filter(source=source, status=RunStatus.OK)
        .order_by("-started_at")
        .values_list("source_state", flat=True)
        .first()
    )
    return dict(last or {})


class Prefetch:
    """The list's entries in order, each with its content (parsed record) to ask for with
    `result()`: fetched and parsed ahead by up to `depth` threads while the caller applies the
    entries before it, or, for an entry that needs none (not followed, or unchanged since it
    was last seen), read only if asked for. At most `depth` entries are read ahead of the one
    handed out, and no more than `limit` in all; a list page that fails is raised once the
    entries before it have been handed out."""

    def __init__(self, registry, client: PoliteClient, seen: dict[str, str], depth: int):
        self.registry, self.client, self.seen, self.depth = registry, client, seen, max(depth, 0)
        self.pool = (
            ThreadPoolExecutor(self.depth, thread_name_prefix=f"import-{registry.name}")
            if self.depth
            else None
        )

    def items(
        self, entries: Iterator, limit: int | None
    ) -> Iterator[tuple[Any, Future | _Deferred]]:
        entries = iter(entries)
        waiting: deque = deque()
        taken, unreadable = 0, None
        while True:
            while (
                unreadable is None
                and len(waiting) <= self.depth
                and (limit is None or taken < limit)
            ):
                try:
                    entry = next(entries)
                except StopIteration:
                    break
                except SourceUnreachable as exc:
                    unreadable = exc
                    break
                taken += 1
                waiting.append((entry, self._content(entry)))
            if not waiting:
                if unreadable is not None:
                    raise unreadable
                return
            yield waiting.popleft()

    def _content(self, entry):
        if (
            self.pool is None
            or not entry.followed
            or self.seen.get(entry.source_id) == entry.fingerprint
        ):
            return _Deferred(
                self._fetch_and_parse, entry
            )  # read only if still needed when its turn comes
        return self.pool.submit(self._fetch_and_parse, entry)

    def _fetch_and_parse(self, entry):
        return self.registry.parse(self.registry.fetch(self.client, entry), entry.url)

    def close(self) -> None:
        """Stop: what was fetched ahead and not handed out is dropped."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


class _Deferred:
    """Content read in the caller's thread only when asked for (`result()`)."""

    def __init__(self, read, entry):
        self.read, self.entry = read, entry

    def result(self):
        return self.read(self.entry)


def _import_one(
    registry,
    applier: Applier,
    entry,
    content,
    seen: dict[str, str],
    dry_run: bool,
    commits: FlushlessCommits,
) -> ItemReport:
    if not entry.followed:
        return ItemReport(entry.source_id, "skipped")
    if seen.get(entry.source_id) == entry.fingerprint:
        return ItemReport(entry.source_id, "unchanged")  # what was fetched ahead is dropped
    try:
        record = content.result()
        commits.begin()
        with transaction.atomic():
            result = applier.apply(record)
            provenance.mark_seen(
                registry.name,
                entry.source_id,
                entry.fingerprint,
                seen_before=entry.source_id in seen,
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        applier.item_rolled_back()
        return _report(entry, result)
    except (FetchError, ParseError) as exc:
        applier.item_rolled_back()
        return ItemReport(entry.source_id, "failed", [str(exc)])
    except Exception as exc:  # one item's failure never stops the run; its reason is kept
        logger.exception("Import of %s %s failed", registry.name, entry.source_id)
        applier.item_rolled_back()
        return ItemReport(entry.source_id, "failed", [f"{exc.__class__.__name__}: {exc}"])
    applier.item_committed()
    seen[entry.source_id] = entry.fingerprint
    return _report(entry, result)


def _report(entry, result) -> ItemReport:
    details = result.changes + [f"queue: {q}" for q in result.queued]
    return ItemReport(entry.source_id, result.outcome, details, queued=bool(result.queued))
