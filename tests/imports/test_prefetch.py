"""Fetching and parsing the next items ahead while the run writes: the order of application,
the request rate, pauses, failures, the limit and the list's own failures still hold."""

import json
import threading

import pytest
from django.db.backends.signals import connection_created

from imports.choices import RunStatus
from imports.models import SeenEntry
from imports.runner import run_import
from tracker.models import Review

from .govuk import Case

pytestmark = pytest.mark.django_db


def numbered_case(n: int) -> Case:
    return Case(
        slug=f"alpha-{n}-slash-beta-{n}-merger-inquiry",
        title=f"Alpha {n} plc / Beta {n} Limited merger inquiry",
        case_state="open",
        opened_date="2026-03-02",
        entries=[
            (
                "Phase 1 launch",
                "2 March 2026",
                "The CMA announced the launch of its merger inquiry.",
                [],
            )
        ],
    )


def content_arrivals(registry) -> list[tuple[float, str]]:
    return [
        (at, path.rsplit("/", 1)[-1])
        for at, path in registry.arrivals
        if path.startswith("/api/content/")
    ]


def test_items_are_applied_in_the_lists_order_when_a_later_one_arrives_first(
    threaded_registry, settings
):
    settings.IMPORTS_PREFETCH = 4
    cases = [numbered_case(n) for n in range(1, 6)]
    threaded_registry.cases = cases
    threaded_registry.delays[cases[0].slug] = [0.6]  # the first answer is the last to arrive

    report = run_import("cma")

    assert [item.source_id for item in report.items] == [c.slug for c in cases]
    assert [item.outcome for item in report.items] == ["created"] * 5
    made = Review.objects.filter(regulator__slug="cma").order_by("pk").values_list("url", flat=True)
    assert [url.rsplit("/", 1)[-1] for url in made] == [c.slug for c in cases]
    # The later items were asked for while the first was still on its way.
    arrivals = [slug for _, slug in content_arrivals(threaded_registry)]
    assert set(arrivals[:5]) == {c.slug for c in cases}


def test_the_next_items_are_fetched_while_one_is_written(registry, settings):
    settings.IMPORTS_PREFETCH = 3
    registry.cases = [numbered_case(n) for n in range(1, 6)]
    asked_for_when_applied = []

    run_import(
        "cma", on_item=lambda item: asked_for_when_applied.append(len(content_arrivals(registry)))
    )

    assert asked_for_when_applied[0] >= 2
    assert max(asked_for_when_applied) == 5


def test_the_request_rate_holds_across_the_threads(threaded_registry, settings):
    settings.IMPORTS_PREFETCH = 4
    settings.IMPORTS_REQUESTS_PER_SECOND = 10  # one request every 0.1 s
    threaded_registry.cases = [numbered_case(n) for n in range(1, 9)]

    run = run_import("cma").run

    assert (run.created, run.failed) == (8, 0)
    times = [at for at, _ in threaded_registry.arrivals]
    assert len(times) == 9  # the list, then eight cases
    # Arrivals jitter a little on a busy machine; requests let through together would not be apart at all.
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 0.05, gaps
    assert times[-1] - times[0] >= 0.75, gaps


def test_a_429_pauses_every_thread_for_its_retry_after(threaded_registry, settings):
    settings.IMPORTS_PREFETCH = 4
    settings.IMPORTS_REQUESTS_PER_SECOND = 5  # one request every 0.2 s
    cases = [numbered_case(n) for n in range(1, 5)]
    threaded_registry.cases = cases
    threaded_registry.content_overrides = {
        cases[0].slug: [
            (429, "{}", {"Retry-After": "1"}),
            (200, json.dumps(cases[0].content_item()), {}),
        ],
    }

    run = run_import("cma").run

    assert (run.created, run.failed) == (4, 0)
    arrivals = content_arrivals(threaded_registry)
    refused_at = arrivals[0][0]
    assert arrivals[0][1] == cases[0].slug
    later = [at - refused_at for at, _ in arrivals[1:]]
    assert len(later) == 4 and min(later) >= 0.95, later


def test_a_failing_fetch_among_those_ahead_fails_only_its_item(registry, settings):
    settings.IMPORTS_PREFETCH = 4
    cases = [numbered_case(n) for n in range(1, 6)]
    registry.cases = cases
    registry.content_overrides = {
        cases[1].slug: [(404, "{}", {})],
        cases[2].slug: [(200, '{"title": "Alpha', {})],
    }

    report = run_import("cma")

    assert [item.outcome for item in report.items] == [
        "created",
        "failed",
        "failed",
        "created",
        "created",
    ]
    reasons = {f["item"]: f["reason"] for f in report.run.failures}
    assert "HTTP 404" in reasons[cases[1].slug]
    assert "not valid JSON" in reasons[cases[2].slug]
    assert not SeenEntry.objects.filter(source_id__in=[cases[1].slug, cases[2].slug]).exists()


def test_a_limit_fetches_no_content_beyond_it(registry, settings):
    settings.IMPORTS_PREFETCH = 4
    registry.cases = [numbered_case(n) for n in range(1, 9)]

    run = run_import("cma", limit=2).run

    assert (run.fetched, run.created) == (2, 2)
    assert len(content_arrivals(registry)) == 2


def test_a_list_page_that_fails_ahead_stops_the_run_after_the_items_before_it(
    registry, settings, monkeypatch
):
    settings.IMPORTS_PREFETCH = 4
    monkeypatch.setattr("imports.sources.cma.PAGE_SIZE", 2)
    registry.cases = [numbered_case(n) for n in range(1, 5)]
    registry.search_fails_from = 2

    run = run_import("cma").run

    assert run.status == RunStatus.UNREACHABLE and "HTTP 503" in run.error
    assert (run.fetched, run.created) == (2, 2)
    assert Review.objects.filter(regulator__slug="cma").count() == 2


def test_without_prefetch_each_item_is_fetched_in_its_turn(registry, settings):
    settings.IMPORTS_PREFETCH = 0
    registry.cases = [numbered_case(n) for n in range(1, 4)]
    asked_for_when_applied = []

    run_import(
        "cma", on_item=lambda item: asked_for_when_applied.append(len(content_arrivals(registry)))
    )

    assert asked_for_when_applied == [1, 2, 3]


def test_only_the_running_thread_uses_the_database(registry, settings):
    settings.IMPORTS_PREFETCH = 4
    registry.cases = [numbered_case(n) for n in range(1, 5)]
    opened_in = []

    def note_thread(sender, connection, **kwargs):
        opened_in.append(threading.current_thread().name)

    connection_created.connect(note_thread)
    try:
        run = run_import("cma").run
    finally:
        connection_created.disconnect(note_thread)

    assert run.created == 4
    assert not [name for name in opened_in if name != threading.current_thread().name]


def test_a_new_cases_past_and_entries_are_written_in_one_insert_and_marked_as_history(
    registry, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tracker.models import Event

    settings.IMPORTS_PREFETCH = 0
    case = numbered_case(1)
    case.entries.insert(
        0, ("Invitation to comment", "16 February 2026", "The CMA invited comments.", [])
    )
    case.entries.append(("Decision", "20 April 2026", "The CMA cleared the merger.", []))
    case.case_state, case.outcome_type, case.closed_date = (
        "closed",
        "mergers-phase-1-clearance",
        "2026-04-20",
    )
    registry.cases = [case]

    with CaptureQueriesContext(connection) as queries:
        run = run_import("cma").run

    assert run.created == 1
    inserts = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('INSERT INTO "tracker_event"')
    ]
    assert len(inserts) == 1
    assert not [
        q for q in queries.captured_queries if q["sql"].startswith('UPDATE "tracker_event"')
    ]
    kinds = sorted(Event.objects.values_list("kind", "recorded_as_history"))
    assert ("statement", True) in kinds and {history for _, history in kinds} == {True}
