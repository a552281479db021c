"""Importing DOJ and FTC press releases from a local stand-in server, and from the samples."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from imports.choices import ProposalKind, RunStatus
from imports.models import ImportRun, Proposal
from imports.provenance import Provenance
from imports.runner import run_import
from notices.models import Delivery
from tests.factories import (
    DealFactory,
    DealPartyFactory,
    PartyFactory,
    RegulatorFactory,
    ReviewFactory,
    SubscriptionFactory,
    UserFactory,
)
from tracker.choices import EventKind, PartyRole, ReviewStatus, ReviewType
from tracker.models import Event, Review

from . import federal_register as fr
from . import press_releases_documents as docs
from .govuk import examplo_widgetco
from .press_releases_server import DOJ_PATH

pytestmark = pytest.mark.django_db

US = dict(jurisdiction="US", calendar="US-FED")


def tracked_case(regulator: str, parties: list[tuple[str, str]], **review) -> Review:
    """A proceeding an editor entered, open and not yet moved, on a deal of `parties`."""
    deal = DealFactory(title=" / ".join(name for name, _ in parties))
    for number, (name, aliases) in enumerate(parties):
        DealPartyFactory(
            deal=deal,
            party=PartyFactory(name=name, aliases=aliases),
            role=PartyRole.ACQUIRER if number == 0 else PartyRole.TARGET,
        )
    return ReviewFactory(
        deal=deal,
        regulator=RegulatorFactory(slug=regulator, short_name=regulator.upper(), **US),
        status=ReviewStatus.MONITORING,
        opened_on=None,
        **review,
    )


@pytest.fixture
def google_case():
    return tracked_case(
        "doj",
        [("Alphabet", "Google, Google LLC, Alphabet Inc.")],
        reference="1:20-cv-03010",
        review_type=ReviewType.LITIGATION,
    )


@pytest.fixture
def microsoft_activision_case():
    return tracked_case(
        "ftc",
        [
            ("Microsoft", "Microsoft Corporation"),
            ("Activision Blizzard", "Activision, Activision Blizzard, Inc."),
        ],
    )


def follower_of(review: Review):
    return SubscriptionFactory(user=UserFactory(), deal=review.deal, by_email=True)


# --- a run with failures -------------------------------------------------------------------


def test_a_doj_run_with_a_malformed_and_a_broken_release_imports_the_rest(
    press_offices, google_case
):
    malformed = {**docs.google_remedies(), "date": "2 September 2025"}
    broken = {**docs.google_search_suit(), "url": "not a link", "title": "Sues to Block a Deal"}
    press_offices.doj_pages = [[docs.google_search_suit(), malformed, broken]]

    with pytest.raises(SystemExit) as exited:
        call_command("import_registry", "doj_press")

    assert exited.value.code == 1
    run = ImportRun.objects.get(source="doj_press")
    assert (run.status, run.fetched, run.updated, run.failed) == (RunStatus.PARTIAL, 3, 1, 2)
    reasons = sorted(failure["reason"] for failure in run.failures)
    assert reasons[0].startswith("date: not a timestamp")
    assert reasons[1].startswith("url: missing")
    [event] = google_case.events.all()
    assert (event.kind, event.occurred_on, event.source_url) == (
        EventKind.COMPLAINT,
        datetime.date(2020, 10, 20),
        docs.GOOGLE_SEARCH_URL,
    )
    # The list was asked for the Antitrust Division's releases, newest first.
    [request] = press_offices.requests_to(DOJ_PATH)
    assert request.args["parameters[component]"] == "376"
    assert (request.args["sort"], request.args["direction"], request.args["page"]) == (
        "date",
        "DESC",
        "0",
    )


def test_an_ftc_run_skips_what_it_does_not_follow_and_queues_what_it_cannot_place(
    press_offices, microsoft_activision_case
):
    malformed = {**docs.illumina_challenge(), "pubDate": "March 30, 2021"}
    press_offices.ftc_items = [
        docs.microsoft_activision_suit(),
        docs.ai_staff_report(),
        docs.ai_inquiry(),
        malformed,
    ]

    with pytest.raises(SystemExit) as exited:
        call_command("import_registry", "ftc_press")

    assert exited.value.code == 1
    run = ImportRun.objects.get(source="ftc_press")
    assert (run.fetched, run.updated, run.skipped, run.queued, run.failed) == (4, 1, 1, 1, 1)
    assert run.failures[0]["reason"].startswith("pubDate: unparseable date")
    assert run.failures[0]["url"] == docs.ILLUMINA_CHALLENGE_URL
    [event] = microsoft_activision_case.events.all()
    assert (event.kind, event.source_url) == (EventKind.COMPLAINT, docs.MICROSOFT_ACTIVISION_URL)
    [proposal] = Proposal.objects.all()
    assert (proposal.kind, proposal.source_url) == (ProposalKind.UNMATCHED, docs.AI_INQUIRY_URL)


def test_the_pages_are_read_until_one_reaches_back_past_since(press_offices, google_case):
    older = {**docs.google_search_suit(), "url": docs.GOOGLE_SEARCH_URL + "?older"}
    press_offices.doj_pages = [[docs.google_remedies()] * 50, [older], [docs.google_remedies()]]

    run_import("doj_press", since=datetime.date(2021, 1, 1))

    assert [r.args["page"] for r in press_offices.requests_to(DOJ_PATH)] == ["0", "1"]
    assert not Provenance.objects.filter(source="doj_press", url__endswith="?older").exists()


# --- again, later, and history -------------------------------------------------------------


def test_a_second_run_changes_nothing(
    press_offices, google_case, django_capture_on_commit_callbacks
):
    follower_of(google_case)
    press_offices.doj_pages = [[docs.google_search_suit(), docs.google_remedies()]]
    run_import("doj_press")
    events, deliveries, proposals = (
        Event.objects.count(),
        Delivery.objects.count(),
        Proposal.objects.count(),
    )

    with django_capture_on_commit_callbacks(execute=True):
        run = run_import("doj_press").run

    assert (run.fetched, run.unchanged, run.created, run.updated, run.failed) == (2, 2, 0, 0, 0)
    assert (Event.objects.count(), Delivery.objects.count(), Proposal.objects.count()) == (
        events,
        deliveries,
        proposals,
    )


def test_a_first_import_of_past_releases_is_history_without_notices(
    press_offices, google_case, microsoft_activision_case, django_capture_on_commit_callbacks
):
    follower_of(google_case)
    follower_of(microsoft_activision_case)
    press_offices.doj_pages = [[docs.google_search_suit(), docs.google_remedies()]]
    press_offices.ftc_items = [docs.microsoft_activision_suit()]

    with django_capture_on_commit_callbacks(execute=True):
        run_import("doj_press")
        run_import("ftc_press")

    assert google_case.events.count() == 2
    assert microsoft_activision_case.events.count() == 1
    google_case.refresh_from_db()
    assert google_case.status == ReviewStatus.MONITORING  # long past: nothing moved
    assert Delivery.objects.count() == 0


def test_a_new_release_that_moves_a_case_is_one_event_and_one_notice(
    press_offices, google_case, django_capture_on_commit_callbacks
):
    follower = follower_of(google_case)
    with time_machine.travel(datetime.datetime(2020, 10, 19, 15, tzinfo=datetime.UTC)):
        assert run_import("doj_press").run.status == RunStatus.OK  # nothing yet
    press_offices.doj_pages = [[docs.google_search_suit()]]

    with (
        time_machine.travel(datetime.datetime(2020, 10, 21, 15, tzinfo=datetime.UTC)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        run = run_import("doj_press").run

    assert (run.updated, run.failed) == (1, 0)
    google_case.refresh_from_db()
    assert google_case.status == ReviewStatus.LITIGATION
    [event] = google_case.events.all()
    assert (event.kind, event.to_status, event.occurred_on) == (
        EventKind.STATUS_CHANGE,
        ReviewStatus.LITIGATION,
        datetime.date(2020, 10, 20),
    )
    assert (event.source_url, event.source_type) == (docs.GOOGLE_SEARCH_URL, "regulator")
    [delivery] = Delivery.objects.all()
    assert (delivery.event_id, delivery.user_id) == (event.pk, follower.user_id)


# --- one act, two sources ------------------------------------------------------------------


def test_a_press_release_of_a_consent_order_in_the_federal_register_is_one_event(
    registry, press_offices
):
    # The fictional consent order of tests/imports/federal_register.py, told by a release.
    registry.cases = [examplo_widgetco()]
    run_import("cma")
    registry.fr_pages = [[fr.consent_order()]]
    run_import("federal_register")
    ftc = Review.objects.get(regulator__slug="ftc")
    press_offices.ftc_items = [
        docs.ftc_item(
            "FTC Accepts Proposed Consent Order in Examplo Holdings plc's Acquisition of Widgetco Limited",
            "https://www.example.org/press/examplo-widgetco-consent",
            datetime.date(2026, 5, 29),
            "A proposed consent order settles the charges.",
        )
    ]

    run = run_import("ftc_press").run

    assert (run.updated, run.failed, run.queued) == (1, 0, 0)
    [event] = ftc.events.all()
    assert event.source_url == fr.consent_order()["html_url"]
    assert set(
        Provenance.objects.filter(content_type__model="event", object_id=event.pk).values_list(
            "source", flat=True
        )
    ) == {"federal_register", "ftc_press"}


# --- samples and an unreachable register ---------------------------------------------------


@pytest.mark.parametrize("source", ["doj_press", "ftc_press"])
def test_the_samples_import_on_a_fresh_database(source):
    call_command("import_registry", source, "--sample")  # exit status 0: no SystemExit

    run = ImportRun.objects.get(source=source)
    assert run.status == RunStatus.OK
    assert run.fetched >= 2 and run.failed == 0


def test_the_samples_adopt_the_demos_proceedings():
    from tracker.demo import load_demo

    load_demo()
    before = {r.pk: r.status for r in Review.objects.all()}
    google = Review.objects.get(regulator__slug="doj", reference="1:20-cv-03010")
    microsoft = Review.objects.get(regulator__slug="ftc", reference="D-9412")
    illumina = Review.objects.get(regulator__slug="ftc", reference="D-9401")

    call_command("import_registry", "doj_press", "--sample")
    call_command("import_registry", "ftc_press", "--sample")

    assert {r.pk: r.status for r in Review.objects.all()} == before  # nothing new, nothing moved
    assert google.events.filter(source_url=docs.GOOGLE_SEARCH_URL).exists()
    assert microsoft.events.filter(source_url=docs.MICROSOFT_ACTIVISION_URL).exists()
    assert illumina.events.filter(source_url=docs.ILLUMINA_ORDER_URL).exists()
    assert ImportRun.objects.filter(status=RunStatus.OK).count() == 2


@pytest.mark.parametrize(
    ("source", "break_it"),
    [
        ("doj_press", lambda offices: setattr(offices, "doj_status", 500)),
        ("ftc_press", lambda offices: setattr(offices, "ftc_status", 503)),
        ("ftc_press", lambda offices: setattr(offices, "ftc_body", "this is not a feed")),
    ],
)
def test_an_unreachable_register_exits_2(press_offices, source, break_it):
    break_it(press_offices)

    with pytest.raises(SystemExit) as exited:
        call_command("import_registry", source)

    assert exited.value.code == 2
    assert ImportRun.objects.get(source=source).status == RunStatus.UNREACHABLE
