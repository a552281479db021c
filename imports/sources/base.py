"""What every registry declares and does. A source subclasses `Source`, sets the class
attributes, implements `list_entries`, `fetch` and `parse`, and registers itself:

    @register
    class CommissionMergers(Source):
        name = "ec_mergers"
        ...

`list_entries` yields one `ListEntry` per item of the register's list; `fetch` reads an
item's content (or returns what the list already carried); `parse` turns it into a shared
record (`CaseRecord` or `NoticeRecord`) without touching the database. The applier writes
the records; it knows no source by name.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

from django.conf import settings

from ..client import PoliteClient
from ..records import CaseRecord, ListEntry, NoticeRecord

SAMPLES = Path(__file__).parent / "samples"


class Source:
    name: ClassVar[str]  # validated text kept on runs, provenance and proposals (max 30)
    title: ClassVar[str]  # what editors and the API call it
    # The regulators it speaks for: slug -> the Regulator's fields, made if missing.
    regulators: ClassVar[dict[str, dict[str, str]]]
    # The setting (or environment variable) with beat's schedule for it: a crontab
    # ("minute hour day-of-month month day-of-week") or seconds; "0" or "" is off.
    schedule_setting: ClassVar[str]
    default_schedule: ClassVar[str] = "15 * * * *"
    # How far back a first run reads when no --since is given (None: the whole list).
    first_run_since: ClassVar[datetime.date | None] = None
    # What "since" means for a scheduled run: None when the whole list is read each time
    # (it is checked cheaply against the entries already seen); else a scheduled run reads
    # from this long before the last complete run.
    scheduled_overlap: ClassVar[datetime.timedelta | None] = None

    # --- configuration ------------------------------------------------------------------

    @staticmethod
    def setting(name: str, default: str = "") -> str:
        """A setting of this source: Django's settings first, then the environment."""
        value = getattr(settings, name, None)
        if value is None:
            value = os.environ.get(name, default)
        return str(value)

    def off_because(self) -> str:
        """Why the source cannot run as configured ("" when it can): a missing key, say."""
        return ""

    def schedule(self) -> str:
        """Beat's schedule, "" when the source is not run on a schedule."""
        value = self.setting(self.schedule_setting, self.default_schedule).strip()
        return "" if value in ("", "0") or self.off_because() else value

    # --- reading ------------------------------------------------------------------------

    def list_entries(
        self, client: PoliteClient, since: datetime.date | None, state: dict
    ) -> Iterator[ListEntry]:
        """The register's list. `state` is what the source kept at its last complete run
        (a file's ETag, the number of cases it held); what the source sets in it is kept
        with this run."""
        raise NotImplementedError

    def fetch(self, client: PoliteClient, entry: ListEntry) -> Any:
        """An item's content; by default what its list entry carried."""
        return entry.payload

    def parse(self, content: Any, entry_url: str) -> CaseRecord | NoticeRecord:
        raise NotImplementedError

    # --- trying it without network ------------------------------------------------------

    def sample_directory(self) -> Path:
        """The documents `import_registry NAME --sample` reads: files named by the host and
        path of the URLs the source asks for (`www.gov.uk/api/search.json`)."""
        return SAMPLES / self.name

    def sample_file(self, url: str) -> str:
        """The file, under `sample_directory()`, that answers `url`; the query is ignored
        unless a source says otherwise."""
        parts = urlsplit(url)
        return f"{parts.hostname}{parts.path}"
