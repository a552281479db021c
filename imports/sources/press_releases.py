"""The DOJ Antitrust Division's and the FTC's press releases, each a dated act on the
proceeding it is about (NoticeRecord).

DOJ (`doj_press`): the justice.gov press-release API, `/api/v1/press_releases.json` with
`parameters[component]` (the Antitrust Division), `sort=date`, `direction=DESC`,
`pagesize` (at most 50) and `page` (from 0). Each result has `uuid`, `title`, `url`,
`date` (seconds since 1970, a string), `teaser` and `body` (HTML), `number` and
`component` (a list of `{"name": ...}`); a release is known by its `uuid`, else its
`url`. The live API may ignore the component filter, so a result of another component
is listed as not followed.

FTC (`ftc_press`): the competition press releases' RSS feed,
`/feeds/press-release-competition.xml`: items with `title`, `link`, `description` (HTML),
`pubDate` (RFC 822) and `guid`. The feed holds the latest releases only; no paging.

Both lists carry every field we read, so no release is fetched on its own. A release's
words say what it announces (press_releases_acts.py); one that announces nothing the
tracker follows (a criminal plea, guidance, a staff report) is listed as not followed. A
release read long after it was published is history: it is put on the timeline, but it
moves nothing, since what happened since may have moved its proceeding further.
"""

from __future__ import annotations

import datetime
import email.utils
import hashlib
import json
import zoneinfo
from collections.abc import Iterator

import feedparser
from bs4 import BeautifulSoup
from django.utils import timezone

from tracker.choices import SourceType

from ..client import FetchError, PoliteClient, SourceUnreachable
from ..records import ListEntry, NoticeRecord, ParseError
from . import register
from .base import Source
from .press_releases_acts import act_of, parties_in, references_in
from .us_agencies import US_AGENCIES

DOJ_NAME = "doj_press"
FTC_NAME = "ftc_press"
# Press releases are dated in Washington.
WASHINGTON = zoneinfo.ZoneInfo("America/New_York")
# A release read later than this after its date moves nothing (see the module's docstring).
MOVES_WITHIN = datetime.timedelta(days=30)
FIRST_RUN_SINCE = datetime.date(2020, 1, 1)
OVERLAP = datetime.timedelta(days=7)

DOJ_PAGE_SIZE = 50
# The Antitrust Division's component as justice.gov filters by it.
DOJ_COMPONENT = "376"
DOJ_COMPONENT_NAME = "antitrust division"
# A stop for a list that never ends (a filter the API ignores, a page that repeats).
DOJ_MAX_PAGES = 200


def doj_url() -> str:
    return Source.setting("DOJ_PRESS_URL", "https://www.justice.gov").rstrip("/")


def ftc_url() -> str:
    return Source.setting("FTC_PRESS_URL", "https://www.ftc.gov").rstrip("/")


def _fingerprint(item: dict) -> str:
    return hashlib.sha256(json.dumps(item, sort_keys=True, default=str).encode()).hexdigest()


def text_of(html: object) -> str:
    """The words of an HTML fragment, on one line."""
    if not isinstance(html, str) or not html.strip():
        return ""
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def moves_now(published_on: datetime.date, today: datetime.date | None = None) -> bool:
    """Whether a release of that day, read today, may still move its proceeding."""
    return published_on >= (today or timezone.localdate()) - MOVES_WITHIN


def notice(
    *,
    source: str,
    source_id: str,
    url: str,
    regulator: str,
    title: str,
    text: str,
    abstract: str,
    published_on: datetime.date,
    cited_as: str,
) -> NoticeRecord:
    act = act_of(title, regulator=regulator)
    if act is None:
        raise ParseError(f"title: not a release the tracker follows ({title[:80]!r})")
    return NoticeRecord(
        source=source,
        source_id=source_id,
        url=url,
        regulator=regulator,
        kind=act.kind,
        title=title,
        abstract=abstract,
        published_on=published_on,
        sides=parties_in(title, text),
        event_kind=act.event_kind,
        source_type=SourceType.REGULATOR,
        source_title=f"{title} ({cited_as})"[:300],
        references=references_in(f"{title} {text}"),
        may_open=act.may_open,
        review_type=act.review_type,
        moves_to=act.moves_to if moves_now(published_on) else "",
        # Read long after its day, a release is the past: on the timeline, no notice.
        history=not moves_now(published_on),
    )


# --- DOJ -----------------------------------------------------------------------------------


@register
class DojPressReleases(Source):
    name = DOJ_NAME
    title = "DOJ Antitrust Division press releases"
    regulators = {"doj": US_AGENCIES["doj"]}
    schedule_setting = "IMPORTS_DOJ_PRESS_SCHEDULE"
    default_schedule = "20 * * * *"
    first_run_since = FIRST_RUN_SINCE
    # Listed newest first by date: a scheduled run reads from a week before the last one.
    scheduled_overlap = OVERLAP

    def list_entries(self, client, since, state):
        return doj_entries(client, since)

    def parse(self, content, entry_url):
        return parse_doj(content, entry_url)


def doj_day(value: object, field: str = "date") -> datetime.date:
    """The day of a DOJ timestamp (seconds since 1970, as a string), in Washington."""
    if value in (None, ""):
        raise ParseError(f"{field}: missing")
    try:
        seconds = int(str(value))
    except ValueError:
        raise ParseError(f"{field}: not a timestamp ({str(value)[:40]!r})") from None
    try:
        return datetime.datetime.fromtimestamp(seconds, WASHINGTON).date()
    except (OverflowError, OSError, ValueError):
        raise ParseError(f"{field}: out of range ({seconds})") from None


def is_antitrust_division(release: dict) -> bool:
    components = release.get("component")
    if not isinstance(components, list):
        return False
    return any(
        isinstance(c, dict) and DOJ_COMPONENT_NAME in str(c.get("name") or "").lower()
        for c in components
    )


def doj_entries(client: PoliteClient, since: datetime.date | None = None) -> Iterator[ListEntry]:
    since = since or FIRST_RUN_SINCE
    url = f"{doj_url()}/api/v1/press_releases.json"
    for page_number in range(DOJ_MAX_PAGES):
        params = {
            "parameters[component]": DOJ_COMPONENT,
            "sort": "date",
            "direction": "DESC",
            "pagesize": DOJ_PAGE_SIZE,
            "page": page_number,
        }
        _, results = client.get_listing(url, params, "press releases")
        older = False
        for release in results:
            if not isinstance(release, dict):
                continue  # not a release: nothing to name it by
            source_id = str(release.get("uuid") or release.get("url") or "")[:300]
            if not source_id:
                continue
            try:
                if doj_day(release.get("date")) < since:
                    older = True
                    continue
            except ParseError:
                pass  # listed, so that its parse names the field
            title = str(release.get("title") or "")
            yield ListEntry(
                source_id=source_id,
                url=str(release.get("url") or ""),
                fingerprint=_fingerprint(release),
                followed=is_antitrust_division(release)
                and act_of(text_of(title), regulator="doj") is not None,
                payload=release,
            )
        # Newest first: a page that reaches back past `since`, or a short one, is the last.
        if older or len(results) < DOJ_PAGE_SIZE:
            return


def parse_doj(release, entry_url: str = "") -> NoticeRecord:
    if not isinstance(release, dict):
        raise ParseError("the release is not a JSON object")
    title = text_of(release.get("title"))
    if not title:
        raise ParseError("title: missing")
    url = release.get("url")
    if not isinstance(url, str) or not url.startswith("http"):
        raise ParseError("url: missing")
    teaser, body = text_of(release.get("teaser")), text_of(release.get("body"))
    return notice(
        source=DOJ_NAME,
        source_id=str(release.get("uuid") or url),
        url=url,
        regulator="doj",
        title=title,
        text=f"{teaser} {body}",
        abstract=(teaser or body)[:1000],
        published_on=doj_day(release.get("date")),
        cited_as="DOJ press release",
    )


# --- FTC -----------------------------------------------------------------------------------


@register
class FtcPressReleases(Source):
    name = FTC_NAME
    title = "FTC competition press releases"
    regulators = {"ftc": US_AGENCIES["ftc"]}
    schedule_setting = "IMPORTS_FTC_PRESS_SCHEDULE"
    default_schedule = "25 * * * *"
    first_run_since = FIRST_RUN_SINCE
    # A feed by date: a scheduled run keeps a week's overlap with the last one.
    scheduled_overlap = OVERLAP

    def list_entries(self, client, since, state):
        return ftc_entries(client, since)

    def parse(self, content, entry_url):
        return parse_ftc(content, entry_url)


def ftc_day(value: object, field: str = "pubDate") -> datetime.date:
    """The day of an RSS date ("Thu, 08 Dec 2022 10:12:00 -0500"), in Washington."""
    if not isinstance(value, str) or not value.strip():
        raise ParseError(f"{field}: missing")
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        raise ParseError(f"{field}: unparseable date {value[:40]!r}") from None
    if moment.tzinfo is None:  # RFC 822 without a zone: take it as Washington's time
        return moment.date()
    return moment.astimezone(WASHINGTON).date()


def ftc_entries(client: PoliteClient, since: datetime.date | None = None) -> Iterator[ListEntry]:
    since = since or FIRST_RUN_SINCE
    url = f"{ftc_url()}/feeds/press-release-competition.xml"
    try:
        response = client.get(url, headers={"Accept": "application/rss+xml, application/xml"})
    except FetchError as exc:
        raise SourceUnreachable(exc.url, exc.reason, exc.status) from exc
    feed = feedparser.parse(response.content)
    if not feed.entries and (feed.bozo or "title" not in feed.feed):
        raise SourceUnreachable(url, "the answer is not an RSS feed")
    for entry in feed.entries:
        item = {
            "title": entry.get("title", ""),
            "link": entry.get("link", ""),
            "description": entry.get("summary", ""),
            "pubDate": entry.get("published", ""),
            "guid": entry.get("id", ""),
        }
        source_id = item["guid"] or item["link"]
        if not source_id:
            continue  # nothing to name it by
        try:
            if ftc_day(item["pubDate"]) < since:
                continue
        except ParseError:
            pass  # listed, so that its parse names the field
        yield ListEntry(
            source_id=source_id[:200],
            url=item["link"],
            fingerprint=_fingerprint(item),
            followed=act_of(item["title"], regulator="ftc") is not None,
            payload=item,
        )


def parse_ftc(item, entry_url: str = "") -> NoticeRecord:
    if not isinstance(item, dict):
        raise ParseError("the item is not a feed item")
    title = " ".join(str(item.get("title") or "").split())
    if not title:
        raise ParseError("title: missing")
    url = item.get("link")
    if not isinstance(url, str) or not url.startswith("http"):
        raise ParseError("link: missing")
    description = text_of(item.get("description"))
    return notice(
        source=FTC_NAME,
        source_id=str(item.get("guid") or url)[:200],
        url=url,
        regulator="ftc",
        title=title,
        text=description,
        abstract=description[:1000],
        published_on=ftc_day(item.get("pubDate")),
        cited_as="FTC press release",
    )
