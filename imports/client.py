"""A polite HTTP client for the registries: it names the product and a contact, keeps to a
request rate, retries timeouts and server errors with growing pauses, and waits as long as a
429's Retry-After asks. One client may be shared by threads: the rate holds across them."""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings

logger = logging.getLogger(__name__)


class FetchError(Exception):
    """One resource could not be read; `status` is the HTTP status when there was one."""

    def __init__(self, url: str, reason: str, status: int | None = None):
        self.url, self.status, self.reason = url, status, reason
        super().__init__(f"{url}: {reason}")


class SourceUnreachable(FetchError):
    """The registry itself cannot be reached (its list failed): the run stops."""


@dataclass
class ClientSettings:
    user_agent: str
    min_interval: float  # seconds between two requests; 0 for none
    timeout: float
    retries: int
    backoff: float  # first pause; doubled per retry
    max_retry_after: float  # a longer Retry-After is not waited for

    @classmethod
    def from_settings(cls) -> ClientSettings:
        rate = settings.IMPORTS_REQUESTS_PER_SECOND
        return cls(
            user_agent=f"AntitrustTracker/1.0 (+{settings.IMPORTS_CONTACT_URL})",
            min_interval=1 / rate if rate > 0 else 0.0,
            timeout=settings.IMPORTS_TIMEOUT_SECONDS,
            retries=settings.IMPORTS_RETRIES,
            backoff=settings.IMPORTS_BACKOFF_SECONDS,
            max_retry_after=settings.IMPORTS_MAX_RETRY_AFTER_SECONDS,
        )


def next_page(base_url: str, page: dict, key: str) -> str | None:
    """The page's link to the next one, followed only on the configured register's own
    origin (scheme, host and port): a register, hostile or compromised, must not send the
    importer to another host or scheme. None when there is no next page."""
    link = page.get(key)
    if not link:
        return None
    if not isinstance(link, str) or _origin(link) != _origin(base_url):
        raise SourceUnreachable(
            base_url, f"the next page's link ({str(link)[:200]!r}) leaves the register's origin"
        )
    return link


def _origin(url: str) -> tuple[str, str | None, int | None]:
    try:
        parts = urlsplit(url)
        return parts.scheme.lower(), parts.hostname, parts.port
    except ValueError:
        return "", None, None


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds a Retry-After header asks for: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class PoliteClient:
    RETRY_STATUSES = frozenset({500, 502, 503, 504})

    def __init__(
        self,
        config: ClientSettings | None = None,
        sleep=None,
        adapter: requests.adapters.BaseAdapter | None = None,
    ):
        self.config = config or ClientSettings.from_settings()
        self.adapter = adapter  # answers every request instead of the network (--sample)
        self._sleep = sleep or (lambda seconds: time.sleep(seconds))
        self._sessions = (
            threading.local()
        )  # a requests.Session is not meant to be shared by threads
        self._rate_lock = threading.Lock()
        self._next_slot = 0.0  # the earliest time the next request may start
        self._holds = 0  # pauses asked for so far (see _hold)
        self.requests_made = 0

    @property
    def session(self) -> requests.Session:
        session = getattr(self._sessions, "session", None)
        if session is None:
            session = self._sessions.session = requests.Session()
            session.headers.update(
                {"User-Agent": self.config.user_agent, "Accept": "application/json"}
            )
            if self.adapter is not None:
                session.mount("http://", self.adapter)
                session.mount("https://", self.adapter)
        return session

    def get(
        self, url: str, params: dict | list | None = None, headers: dict | None = None
    ) -> requests.Response:
        """The answer to a GET (any status below 400, so a 304 too), after the retries."""
        return self._get(url, params, headers)

    def get_text(self, url: str, params: dict | list | None = None) -> str:
        """A page's text (HTML), decoded as the server says, else as UTF-8."""
        response = self._get(url, params, {"Accept": "text/html,application/xhtml+xml"})
        response.encoding = response.encoding or "utf-8"
        return response.text

    def get_json(self, url: str, params: dict | list | None = None):
        response = self._get(url, params)
        try:
            return response.json()
        except ValueError:
            raise FetchError(url, "the answer is not valid JSON", response.status_code) from None

    def get_listing(self, url: str, params, what: str) -> tuple[dict, list]:
        """One page of a register's list and its `results`. A list page that cannot be read
        makes the whole register unreadable (SourceUnreachable), unlike one item's page."""
        try:
            page = self.get_json(url, params)
        except FetchError as exc:
            raise SourceUnreachable(exc.url, exc.reason, exc.status) from exc
        results = page.get("results") if isinstance(page, dict) else None
        if results is None and isinstance(page, dict) and page.get("count") == 0:
            results = []  # the Federal Register leaves the list out when nothing matches
        if not isinstance(results, list):
            raise SourceUnreachable(url, f"the {what} answer has no 'results' list")
        return page, results

    def _get(self, url: str, params, headers: dict | None = None) -> requests.Response:
        attempt = 0
        while True:
            self._keep_rate()
            try:
                response = self.session.get(
                    url, params=params, headers=headers, timeout=self.config.timeout
                )
            except (requests.Timeout, requests.ConnectionError) as exc:
                reason, status, pause = exc.__class__.__name__, None, None
            else:
                if response.status_code < 400:
                    return response
                status = response.status_code
                reason = f"HTTP {status}"
                if response.status_code == 429:
                    pause = retry_after_seconds(response.headers.get("Retry-After"))
                    if pause is not None and pause > self.config.max_retry_after:
                        raise FetchError(
                            url, f"{reason}, Retry-After {pause:.0f} s is too long", 429
                        )
                elif response.status_code in self.RETRY_STATUSES:
                    pause = None
                else:
                    raise FetchError(url, reason, response.status_code)
            if attempt >= self.config.retries:
                raise FetchError(url, f"{reason} after {attempt + 1} attempts", status)
            pause = self.config.backoff * (2**attempt) if pause is None else pause
            logger.info("Retrying %s in %.1f s (%s)", url, pause, reason)
            self._hold(pause)
            self._sleep(pause)
            attempt += 1

    def _hold(self, pause: float) -> None:
        """No thread's request starts in the next `pause` seconds: a register that asked us to
        wait, or is failing, is not asked again meanwhile by the other threads (those already
        waiting for their turn take a new one)."""
        with self._rate_lock:
            self._next_slot = max(self._next_slot, time.monotonic() + pause)
            self._holds += 1

    def _keep_rate(self) -> None:
        """Wait for this request's turn: each request takes the next free slot, `min_interval`
        after the one before, whichever thread makes it."""
        while True:
            with self._rate_lock:
                now = time.monotonic()
                slot = max(now, self._next_slot)
                self._next_slot = slot + self.config.min_interval
                holds = self._holds
            if slot > now:
                self._sleep(slot - now)
            with self._rate_lock:
                if self._holds == holds:  # no pause was asked for while this one waited
                    self.requests_made += 1
                    return
