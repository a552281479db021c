"""Importing the CMA's case register from a local server in GOV.UK's formats."""

import datetime
import io

import pytest
from django.core.management import call_command

from imports.choices import ProposalKind, ProposalState, RunStatus
from imports.models import ImportRun, Proposal, Provenance, SeenEntry
from imports.runner import run_import
from tracker.choices import EventKind, Outcome, ReviewStatus
from tracker.demo import load_demo
from tracker.models import Deal, Event, Party, Review

from .govuk import (
    AMAZON_DECISION,
    AMAZON_PAGE,
    EXAMPLO_PAGE,
    EXAMPLO_SLUG,
    alphabet_anthropic,
    amazon_anthropic,
    examplo_widgetco,
    markets_case,
    vodafone_three,
)

pytestmark = pytest.mark.django_db


def cma_review(url):
    return Review.objects.select_related("deal").get(regulator__slug="cma", url=url)


def test_a_first_import_builds_deals_proceedings_and_sourced_events(registry):
    registry.cases = [amazon_anthropic(), vodafone_three(), examplo_widgetco(), markets_case()]

    report = run_import("cma")

    run = report.run
    assert (run.status, run.fetched, run.created, run.skipped, run.failed) == (
        RunStatus.OK,
        4,
        3,
        1,
        0,
    )
    amazon = cma_review(AMAZON_PAGE)
    assert (amazon.status, amazon.outcome) == (ReviewStatus.CLOSED, Outcome.NOT_QUALIFYING)
    assert (amazon.opened_on, amazon.closed_on) == (
        datetime.date(2024, 8, 8),
        datetime.date(2024, 9, 27),
    )
    assert amazon.deal.title == "Amazon.com Inc. / Anthropic PBC"
    assert amazon.deal.deal_type == "partnership"
    assert sorted(amazon.deal.parties.values_list("name", flat=True)) == [
        "Amazon.com Inc.",
        "Anthropic PBC",
    ]
    decision = Event.objects.get(review=amazon, kind=EventKind.DECISION)
    assert (decision.occurred_on, decision.source_url, decision.source_type) == (
        datetime.date(2024, 9, 27),
        AMAZON_DECISION,
        "regulator",
    )
    changes = list(
        Event.objects.filter(review=amazon, kind=EventKind.STATUS_CHANGE)
        .order_by("occurred_on")
        .values_list("to_status", "occurred_on", "source_url")
    )
    assert changes == [
        ("phase_1", datetime.date(2024, 8, 8), AMAZON_PAGE),
        ("closed", datetime.date(2024, 9, 27), AMAZON_PAGE),
    ]

    vodafone = cma_review(
        "https://www.gov.uk/cma-cases/vodafone-slash-ck-hutchison-jv-merger-inquiry"
    )
    assert (vodafone.status, vodafone.outcome) == (
        ReviewStatus.CLEARED_WITH_CONDITIONS,
        Outcome.CLEARED_WITH_REMEDIES,
    )
    assert list(
        vodafone.events.filter(kind=EventKind.STATUS_CHANGE)
        .order_by("occurred_on")
        .values_list("to_status", "occurred_on")
    ) == [
        ("phase_1", datetime.date(2024, 1, 26)),
        ("phase_2", datetime.date(2024, 4, 4)),
        ("cleared_with_conditions", datetime.date(2024, 12, 5)),
    ]
    assert vodafone.deal.deal_type == "joint_venture"

    examplo = cma_review(EXAMPLO_PAGE)
    assert examplo.status == ReviewStatus.PHASE_2
    period = examplo.deadline_periods.get(state="running")
    assert (period.published_due_on, period.due_on) == (
        datetime.date(2026, 10, 15),
        datetime.date(2026, 10, 15),
    )
    assert not Proposal.objects.exists()
    link = Provenance.objects.get(
        source="cma", source_id=EXAMPLO_SLUG, content_type__model="review"
    )
    assert (link.object_id, link.url) == (examplo.pk, EXAMPLO_PAGE)
    # Everything the import made says where it came from and when it was read.
    made = {
        (p.content_type.model, p.object_id)
        for p in Provenance.objects.filter(source_id__startswith=EXAMPLO_SLUG)
    }
    assert ("deal", examplo.deal_id) in made
    assert {("party", pid) for pid in examplo.deal.parties.values_list("pk", flat=True)} <= made
    assert {
        ("event", pk)
        for pk in examplo.events.exclude(kind=EventKind.STATUS_CHANGE)
        .exclude(kind=EventKind.DEADLINE)
        .values_list("pk", flat=True)
    } <= made
    assert all(p.read_at for p in Provenance.objects.all())
    assert not Review.objects.filter(title__icontains="cloud services").exists()


def test_a_second_import_changes_nothing_and_fetches_no_content(registry):
    registry.cases = [amazon_anthropic(), vodafone_three(), examplo_widgetco()]
    run_import("cma")
    counts = (
        Deal.objects.count(),
        Party.objects.count(),
        Review.objects.count(),
        Event.objects.count(),
        Proposal.objects.count(),
    )
    registry.clear_log()

    run = run_import("cma").run

    assert (run.fetched, run.unchanged, run.created, run.updated, run.queued, run.failed) == (
        3,
        3,
        0,
        0,
        0,
        0,
    )
    assert counts == (
        Deal.objects.count(),
        Party.objects.count(),
        Review.objects.count(),
        Event.objects.count(),
        Proposal.objects.count(),
    )
    assert registry.requests_to("/api/content/") == []
    assert len(registry.requests_to("/api/search.json")) == 1


def test_a_changed_entry_is_fetched_again_and_applied_without_duplicates(registry):
    registry.cases = [amazon_anthropic()]
    run_import("cma")
    events = Event.objects.count()
    SeenEntry.objects.update(fingerprint="stale")  # as if the search entry had changed

    run = run_import("cma").run

    assert (run.unchanged, run.updated, run.created) == (1, 0, 0)
    assert Event.objects.count() == events
    assert Review.objects.filter(regulator__slug="cma").count() == 1


def test_the_demo_cma_reviews_are_adopted_not_duplicated(registry):
    load_demo()
    before = {r.pk: (r.status, r.outcome) for r in Review.objects.filter(regulator__slug="cma")}
    deals, parties = Deal.objects.count(), Party.objects.count()
    demo_amazon = cma_review(AMAZON_PAGE)
    decision_day = demo_amazon.events.filter(occurred_on=datetime.date(2024, 9, 27)).count()
    registry.cases = [amazon_anthropic(), alphabet_anthropic()]

    run = run_import("cma").run

    assert (run.created, run.failed) == (0, 0)
    assert run.updated == 2  # adopted: a registry link each, and the documents the demo lacked
    assert (Deal.objects.count(), Party.objects.count()) == (deals, parties)
    assert {
        r.pk: (r.status, r.outcome) for r in Review.objects.filter(regulator__slug="cma")
    } == before
    assert (
        Provenance.objects.get(
            source="cma",
            source_id="amazon-slash-anthropic-partnership-merger-inquiry",
            content_type__model="review",
        ).object_id
        == demo_amazon.pk
    )
    # The demo's decision of that day and source is the registry's document: adopted, not repeated.
    assert demo_amazon.events.filter(occurred_on=datetime.date(2024, 9, 27)).count() == decision_day
    assert (
        Provenance.objects.filter(
            source_id__startswith="amazon-slash-anthropic-partnership-merger-inquiry#2024-09-27",
            content_type__model="event",
        ).count()
        == 1
    )


def test_a_review_on_the_same_deal_without_a_url_is_adopted(registry):
    load_demo()
    demo = cma_review(
        "https://www.gov.uk/cma-cases/alphabet-inc-google-llc-slash-anthropic-merger-inquiry"
    )
    Review.objects.filter(pk=demo.pk).update(url="")
    registry.cases = [alphabet_anthropic()]

    run = run_import("cma").run

    assert run.created == 0
    assert Review.objects.filter(regulator__slug="cma", deals=demo.deal).count() == 1
    demo.refresh_from_db()
    assert Provenance.objects.get(source="cma", content_type__model="review").object_id == demo.pk


def test_an_open_phase_2_case_later_closed_changes_status_once_with_the_case_page_as_source(
    registry, django_capture_on_commit_callbacks
):
    from notices.models import Delivery
    from tests.factories import SubscriptionFactory, UserFactory

    registry.cases = [examplo_widgetco()]
    run_import("cma")
    review = cma_review(EXAMPLO_PAGE)
    assert Delivery.objects.count() == 0
    follower = UserFactory(email="analyst@example.org")
    SubscriptionFactory(user=follower, deal=review.deal, by_email=True)
    registry.cases = [examplo_widgetco(closed=True)]

    with django_capture_on_commit_callbacks(execute=True):
        run = run_import("cma").run

    assert (run.updated, run.failed) == (1, 0)
    review.refresh_from_db()
    assert (review.status, review.outcome, review.closed_on) == (
        ReviewStatus.CLEARED_WITH_CONDITIONS,
        Outcome.CLEARED_WITH_REMEDIES,
        datetime.date(2026, 11, 20),
    )
    [change] = review.events.filter(
        kind=EventKind.STATUS_CHANGE, to_status=ReviewStatus.CLEARED_WITH_CONDITIONS
    )
    assert (change.from_status, change.source_url, change.source_type) == (
        ReviewStatus.PHASE_2,
        EXAMPLO_PAGE,
        "regulator",
    )
    # The status change and the register's new decision document are both news to a follower.
    deliveries = Delivery.objects.select_related("event").order_by("event__kind", "id")
    assert [(d.event.kind, d.event.title, d.user_id) for d in deliveries] == [
        (EventKind.DECISION, "Final report", follower.pk),
        (EventKind.STATUS_CHANGE, change.title, follower.pk),
    ]

    again = run_import("cma").run
    assert (again.unchanged, again.updated) == (1, 0)
    assert review.events.filter(kind=EventKind.STATUS_CHANGE).count() == 3


def test_back_filled_history_sends_no_immediate_notice(registry):
    from notices.models import Delivery
    from tests.factories import SubscriptionFactory, UserFactory

    SubscriptionFactory(user=UserFactory(), deal=None, by_email=True)  # follows everything
    registry.cases = [vodafone_three()]

    run_import("cma")

    assert Event.objects.filter(kind=EventKind.STATUS_CHANGE).count() == 3
    assert Delivery.objects.count() == 0
    # Every event of the back-filled case is history: on the timeline, not news.
    review = cma_review(
        "https://www.gov.uk/cma-cases/vodafone-slash-ck-hutchison-jv-merger-inquiry"
    )
    assert review.events.count() > 3
    assert not review.events.filter(recorded_as_history=False).exists()


def test_back_filled_history_stays_out_of_digests_and_the_feed_but_a_later_change_is_news(
    registry, client
):
    from django.core import mail
    from django.core.management import call_command

    from tests.factories import SubscriptionFactory, UserFactory

    follower = UserFactory(email="daily@example.org")
    SubscriptionFactory(user=follower, deal=None, by_email=True, frequency="daily")
    registry.cases = [examplo_widgetco()]
    run_import("cma")
    assert b"<entry>" not in client.get("/feeds/events/").content

    registry.cases = [examplo_widgetco(closed=True)]
    run_import("cma")

    feed = client.get("/feeds/events/").content.decode()
    titles = [entry.split("</title>", 1)[0] for entry in feed.split("<entry><title>")[1:]]
    assert len(titles) == 3, (
        titles
    )  # the closing change, its deadline met or missed, the final report
    assert any("Phase 2 → Cleared with conditions" in title for title in titles)
    assert not any("Phase 1" in title or "→ Phase 2" in title for title in titles)
    call_command("send_digests", "--frequency", "daily", stdout=io.StringIO())
    [digest] = mail.outbox
    assert digest.to == [follower.email]
    assert "Phase 2 -> Cleared with conditions" in digest.body
    assert "Phase 1 -> Phase 2" not in digest.body and "Monitoring -> Phase 1" not in digest.body


def test_a_malformed_and_a_failing_item_leave_the_rest_imported_and_are_reported(registry):
    good, bad_json, missing, gone, broken = (
        amazon_anthropic(),
        examplo_widgetco(),
        vodafone_three(),
        alphabet_anthropic(),
        markets_case(),
    )
    broken.case_type, broken.slug, broken.title = (
        "mergers",
        "broken-slash-case-merger-inquiry",
        "Broken / Case merger inquiry",
    )
    registry.cases = [good, bad_json, missing, gone, broken]
    registry.content_overrides = {
        bad_json.slug: [(200, '{"title": "Examplo', {})],
        missing.slug: [
            (200, '{"title": "Vodafone / CK Hutchison JV merger inquiry", "details": {}}', {})
        ],
        gone.slug: [(404, "{}", {})],
        broken.slug: [(500, "oops", {})],
    }

    report = run_import("cma")

    run = ImportRun.objects.get(pk=report.run.pk)
    assert (run.status, run.created, run.failed) == (RunStatus.PARTIAL, 1, 4)
    reasons = {f["item"]: f["reason"] for f in run.failures}
    assert "not valid JSON" in reasons[bad_json.slug]
    assert "details.metadata" in reasons[missing.slug]
    assert "HTTP 404" in reasons[gone.slug]
    assert "HTTP 500 after 2 attempts" in reasons[broken.slug]
    assert report.exit_status == 1
    assert Review.objects.filter(regulator__slug="cma").count() == 1
    # Nothing of a failed item is half-written, and it is tried again next time.
    assert not Party.objects.filter(name__icontains="Examplo").exists()
    assert not SeenEntry.objects.filter(source_id=bad_json.slug).exists()


def test_an_item_failing_half_way_rolls_back_entirely(registry):
    case = examplo_widgetco()
    case.opened_date = "2026-13-40"
    registry.cases = [case]

    run = run_import("cma").run

    assert run.failed == 1 and "unparseable date" in run.failures[0]["reason"]
    assert (Deal.objects.count(), Party.objects.count(), Review.objects.count()) == (0, 0, 0)


def test_429_with_retry_after_is_honoured(registry, monkeypatch):
    waits = []
    monkeypatch.setattr("imports.client.time.sleep", waits.append)
    case = amazon_anthropic()
    registry.cases = [case]
    registry.content_overrides = {
        case.slug: [(429, "{}", {"Retry-After": "7"}), (200, _json(case.content_item()), {})]
    }

    run = run_import("cma").run

    assert (run.created, run.failed) == (1, 0)
    assert 7.0 in waits
    assert len(registry.requests_to(f"/api/content/cma-cases/{case.slug}")) == 2


def test_a_timeout_is_retried(registry, settings):
    case = amazon_anthropic()
    registry.cases = [case]
    registry.delays[case.slug] = [0.8]  # the first answer comes too late
    settings.IMPORTS_TIMEOUT_SECONDS = 0.5
    settings.IMPORTS_RETRIES = (
        3  # the one-request server answers the retry once the slow answer is out
    )

    run = run_import("cma").run

    assert (run.created, run.failed) == (1, 0), run.failures
    assert len(registry.requests_to(f"/api/content/cma-cases/{case.slug}")) >= 2


def test_an_unreachable_register_is_exit_status_2(registry, settings):
    from tests.receivers import free_port

    settings.GOVUK_API_URL = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    err = io.StringIO()
    with pytest.raises(SystemExit) as unreachable:
        call_command("import_registry", "cma", stdout=io.StringIO(), stderr=err)
    assert unreachable.value.code == 2
    assert "ConnectionError after 2 attempts" in err.getvalue()


def test_requests_name_the_product_and_a_contact(registry):
    registry.cases = [amazon_anthropic()]
    run_import("cma")
    agents = {r.headers["User-Agent"] for r, _ in registry.server.log}
    assert agents == {"AntitrustTracker/1.0 (+https://tracker.example.org/about)"}


def test_since_and_limit_reach_the_search_api(registry):
    registry.cases = [amazon_anthropic(), vodafone_three()]
    run = run_import("cma", since=datetime.date(2024, 6, 1), limit=1).run
    assert run.fetched == 1
    [search] = registry.requests_to("/api/search.json")
    assert search.args["filter_public_timestamp"] == "from:2024-06-01"
    assert search.args["filter_format"] == "cma_case"


def test_search_pages_are_followed(registry, monkeypatch):
    monkeypatch.setattr("imports.sources.cma.PAGE_SIZE", 2)
    registry.cases = [amazon_anthropic(), vodafone_three(), examplo_widgetco()]
    run = run_import("cma").run
    assert (run.fetched, run.created) == (3, 3)
    assert [r.args["start"] for r in registry.requests_to("/api/search.json")] == ["0", "2"]


def test_dry_run_prints_what_would_change_and_writes_nothing(registry):
    registry.cases = [amazon_anthropic(), examplo_widgetco()]
    out = io.StringIO()

    call_command("import_registry", "cma", "--dry-run", stdout=out)

    text = out.getvalue()
    assert "created   amazon-slash-anthropic-partnership-merger-inquiry" in text
    assert "new deal Examplo Holdings plc / Widgetco Limited" in text
    assert "Dry run (nothing written)" in text
    assert (
        Deal.objects.count(),
        Party.objects.count(),
        Review.objects.count(),
        Event.objects.count(),
    ) == (0, 0, 0, 0)
    assert (ImportRun.objects.count(), SeenEntry.objects.count(), Provenance.objects.count()) == (
        0,
        0,
        0,
    )


def test_exit_statuses(registry):
    registry.cases = [amazon_anthropic()]
    out = io.StringIO()
    call_command("import_registry", "cma", stdout=out)  # 0: returns normally
    assert "All items went in" in out.getvalue()

    broken = vodafone_three()
    registry.cases.append(broken)
    registry.content_overrides = {broken.slug: [(500, "oops", {})]}
    with pytest.raises(SystemExit) as some_failed:
        call_command("import_registry", "cma", stdout=io.StringIO(), stderr=io.StringIO())
    assert some_failed.value.code == 1

    registry.search_status = 503
    err = io.StringIO()
    with pytest.raises(SystemExit) as unreachable:
        call_command("import_registry", "cma", stdout=io.StringIO(), stderr=err)
    assert unreachable.value.code == 2
    assert "HTTP 503" in err.getvalue()
    assert ImportRun.objects.order_by("-pk").first().status == RunStatus.UNREACHABLE


def imported_then_moved_by_an_editor(registry) -> Review:
    """The phase 2 case imported, then moved to remedies by an editor; the register now says closed."""
    from tracker.services import transition_review

    registry.cases = [examplo_widgetco()]
    run_import("cma")
    review = cma_review(EXAMPLO_PAGE)
    transition_review(
        review_id=review.pk,
        to_status=ReviewStatus.REMEDIES,
        occurred_on=datetime.date(2026, 11, 1),
        source_url=EXAMPLO_PAGE,
    )
    registry.cases = [examplo_widgetco(closed=True)]
    return review


def test_an_editor_changed_status_is_queued_not_overwritten(registry):
    review = imported_then_moved_by_an_editor(registry)

    run = run_import("cma").run

    review.refresh_from_db()
    assert review.status == ReviewStatus.REMEDIES
    assert run.queued == 1
    [proposal] = Proposal.objects.filter(kind=ProposalKind.CONTRADICTS_EDITOR)
    assert (proposal.field, proposal.current_value, proposal.proposed_value) == (
        "status",
        "remedies",
        "cleared_with_conditions",
    )
    assert proposal.record["source_id"] == EXAMPLO_SLUG


def test_a_rejected_proposal_is_remembered(registry):
    from imports import decisions

    imported_then_moved_by_an_editor(registry)
    run_import("cma")
    decisions.reject(Proposal.objects.get())
    SeenEntry.objects.all().delete()  # the entry is read in full again

    run = run_import("cma").run

    assert run.queued == 0
    assert list(Proposal.objects.values_list("state", flat=True)) == [ProposalState.REJECTED]


def test_a_published_deadline_unlike_ours_is_kept_beside_it_and_listed_for_editors(registry):
    case = examplo_widgetco()
    case.phase_2_timetable[0] = ("23 October 2026", "Deadline for phase 2 decision (*)")
    registry.cases = [case]

    run = run_import("cma").run

    period = cma_review(EXAMPLO_PAGE).deadline_periods.get(state="running")
    assert (period.due_on, period.published_due_on) == (
        datetime.date(2026, 10, 15),
        datetime.date(2026, 10, 23),
    )
    [proposal] = Proposal.objects.all()
    assert (proposal.kind, proposal.current_value, proposal.proposed_value) == (
        ProposalKind.DEADLINE_DISAGREES,
        "2026-10-15",
        "2026-10-23",
    )
    assert (run.created, run.queued) == (1, 1)
    # Its event is part of the case's past like the others, in its history record too.
    published = cma_review(EXAMPLO_PAGE).events.get(title__contains="published by")
    assert published.recorded_as_history
    assert set(published.history.values_list("recorded_as_history", flat=True)) == {True}


def test_an_unknown_outcome_goes_to_the_queue(registry):
    case = amazon_anthropic()
    case.outcome_type = "mergers-phase-1-something-new"
    registry.cases = [case]

    run = run_import("cma").run

    [proposal] = Proposal.objects.all()
    assert proposal.kind == ProposalKind.UNKNOWN_OUTCOME
    assert proposal.proposed_value == "mergers-phase-1-something-new"
    assert cma_review(AMAZON_PAGE).status == ReviewStatus.PHASE_1
    assert run.created == 1


def test_one_party_named_twice_and_legal_suffixes_make_no_duplicates(registry):
    load_demo()
    parties = Party.objects.count()
    case = alphabet_anthropic()
    case.slug, case.title = (
        "alphabet-slash-anthropic-new-merger-inquiry",
        "Google LLC / Anthropic, PBC merger inquiry",
    )
    registry.cases = [case]

    run_import("cma")

    assert Party.objects.count() == parties
    review = Review.objects.get(url__endswith=case.slug)
    assert review.deal.slug == "alphabet-anthropic"


def _json(data):
    import json

    return json.dumps(data)
