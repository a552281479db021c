"""Importing the Bundeskartellamt's list of merger proceedings from a local server."""

import datetime
import io

import pytest
from django.core.management import call_command
from werkzeug import Response

from imports.choices import ProposalKind, RunStatus
from imports.models import ImportRun, Proposal, Provenance
from imports.runner import run_import
from regulators.deadline_rules import BKARTA_PHASE_1
from regulators.deadlines import compute_deadline
from regulators.models import Regulator
from tracker.choices import EventKind, Outcome, ReviewStatus
from tracker.demo import load_demo
from tracker.models import Deal, Event, Party, Review

from .bkarta_documents import (
    LUFTHANSA_REFERENCE,
    Row,
    edeka_kaisers_tengelmann,
    list_page,
    lufthansa_air_berlin,
    with_impossible_date,
    with_lost_cells,
)

pytestmark = pytest.mark.django_db

LIST_PATH = "/SiteGlobals/Forms/Suche/LaufendeVerfahren/LaufendeVerfahren_Formular.html"


class ListServer:
    """Serves the list, paged with `gtp`: `pages` holds each page's rows; `status` answers
    every request with that status instead; `forward_to` replaces the last page's pager link."""

    def __init__(self, server):
        self.server = server
        self.pages: list[list[Row]] = [[]]
        self.status: int | None = None
        self.forward_to = ""
        self.body: str | None = None
        server.expect_request(LIST_PATH).respond_with_handler(self.handle)

    def handle(self, request):
        if self.status:
            return Response("unavailable", status=self.status)
        if self.body is not None:
            return Response(self.body, content_type="text/html; charset=utf-8")
        page = int(request.args.get("gtp", 1))
        rows = self.pages[page - 1] if page <= len(self.pages) else []
        forward = f"{LIST_PATH}?gtp={page + 1}" if page < len(self.pages) else self.forward_to
        return Response(list_page(rows, forward=forward), content_type="text/html; charset=utf-8")

    def pages_asked(self) -> list[str | None]:
        return [r.args.get("gtp") for r, _ in self.server.log if r.path == LIST_PATH]


@pytest.fixture
def bkarta(httpserver, settings):
    settings.BKARTA_LIST_URL = httpserver.url_for(LIST_PATH)
    settings.IMPORTS_REQUESTS_PER_SECOND = 0
    settings.IMPORTS_BACKOFF_SECONDS = 0
    settings.IMPORTS_RETRIES = 1
    return ListServer(httpserver)


def bkarta_review() -> Review:
    return Review.objects.select_related("deal").get(
        regulator__slug="bkarta", reference=LUFTHANSA_REFERENCE
    )


def test_an_import_with_bad_rows_takes_the_rest_records_the_failures_and_exits_1(bkarta):
    bkarta.pages = [
        [
            lufthansa_air_berlin(cleared=True),
            with_impossible_date(edeka_kaisers_tengelmann()),
            with_lost_cells(lufthansa_air_berlin()),
        ]
    ]

    with pytest.raises(SystemExit) as exit_status:
        call_command(
            "import_registry", "bkarta_mergers", stdout=io.StringIO(), stderr=io.StringIO()
        )

    assert exit_status.value.code == 1
    run = ImportRun.objects.get(source="bkarta_mergers")
    assert (run.status, run.fetched, run.created, run.failed) == (RunStatus.PARTIAL, 3, 1, 2)
    reasons = {failure["item"]: failure["reason"] for failure in run.failures}
    assert reasons["B2-96/14"].startswith("Datum: no such day")
    assert reasons["row-1-3"].startswith("row: expected 5 cells, got 3")
    review = bkarta_review()
    assert (review.status, review.outcome) == (ReviewStatus.CLEARED, Outcome.CLEARED)
    assert (review.opened_on, review.closed_on) == (
        datetime.date(2016, 12, 30),
        datetime.date(2017, 1, 30),
    )
    assert (review.deal.sector, review.deal.currency) == ("Luftverkehr", "EUR")
    assert sorted(review.deal.parties.values_list("name", flat=True)) == [
        "Air Berlin PLC & Co. Luftverkehrs KG",
        "Lufthansa Group",
    ]
    changes = list(
        review.events.filter(kind=EventKind.STATUS_CHANGE)
        .order_by("occurred_on")
        .values_list("to_status", "occurred_on", "source_url")
    )
    assert changes == [
        ("phase_1", datetime.date(2016, 12, 30), review.url),
        ("cleared", datetime.date(2017, 1, 30), review.url),
    ]
    assert review.url == f"{bkarta.server.url_for(LIST_PATH)}#B9-190%2F16"
    regulator = Regulator.objects.get(slug="bkarta")
    assert (regulator.short_name, regulator.name, regulator.jurisdiction, regulator.calendar) == (
        "BKartA",
        "Bundeskartellamt",
        "DE",
        "DE",
    )


def test_a_second_import_of_an_unchanged_list_changes_nothing(bkarta):
    from notices.models import Delivery

    bkarta.pages = [[lufthansa_air_berlin(cleared=True)]]
    run_import("bkarta_mergers")
    counts = (Deal.objects.count(), Party.objects.count(), Event.objects.count())

    run = run_import("bkarta_mergers").run

    assert (run.fetched, run.unchanged, run.created, run.updated, run.failed) == (1, 1, 0, 0, 0)
    assert (Deal.objects.count(), Party.objects.count(), Event.objects.count()) == counts
    assert Delivery.objects.count() == 0


def test_a_clearance_on_the_list_is_one_sourced_event_and_one_notice_to_a_follower(
    bkarta, django_capture_on_commit_callbacks
):
    from notices.models import Delivery
    from tests.factories import SubscriptionFactory, UserFactory

    bkarta.pages = [[lufthansa_air_berlin()]]
    run_import("bkarta_mergers")
    review = bkarta_review()
    assert review.status == ReviewStatus.PHASE_1
    follower = UserFactory(email="analyst@example.org")
    SubscriptionFactory(user=follower, deal=review.deal, by_email=True)
    before = set(Event.objects.values_list("pk", flat=True))
    bkarta.pages = [[lufthansa_air_berlin(cleared=True)]]

    with django_capture_on_commit_callbacks(execute=True):
        run = run_import("bkarta_mergers").run

    assert (run.updated, run.failed) == (1, 0)
    [new] = Event.objects.exclude(pk__in=before)
    assert (new.kind, new.to_status, new.occurred_on, new.source_url, new.source_type) == (
        EventKind.STATUS_CHANGE,
        ReviewStatus.CLEARED,
        datetime.date(2017, 1, 30),
        review.url,
        "regulator",
    )
    assert list(Delivery.objects.values_list("event_id", "user_id")) == [(new.pk, follower.pk)]


def test_a_first_import_of_past_cases_sends_no_notice(bkarta):
    from notices.models import Delivery
    from tests.factories import SubscriptionFactory, UserFactory

    SubscriptionFactory(user=UserFactory(), deal=None, by_email=True)  # follows everything
    bkarta.pages = [[lufthansa_air_berlin(cleared=True)]]

    run_import("bkarta_mergers")

    assert bkarta_review().events.filter(kind=EventKind.STATUS_CHANGE).count() == 2
    assert not bkarta_review().events.filter(recorded_as_history=False).exists()
    assert Delivery.objects.count() == 0


def test_an_unknown_conclusion_goes_to_the_editors_queue(bkarta):
    from dataclasses import replace

    bkarta.pages = [[replace(lufthansa_air_berlin(), conclusion="Verweisung (Art. 22 FKVO)")]]

    run = run_import("bkarta_mergers").run

    assert (run.created, run.queued) == (1, 1)
    assert Proposal.objects.get().kind == ProposalKind.UNKNOWN_OUTCOME


def test_an_open_phase_1_case_gets_the_month_the_rule_counts(bkarta, monkeypatch):
    # The tracker ties no review status to the Bundeskartellamt's rules yet
    # (regulators.deadline_rules.PHASE_FOR_STATUS); here they are tied as for the other
    # regulators with numbered phases, to show what an imported case then gets.
    from regulators import deadline_rules

    monkeypatch.setattr(
        deadline_rules,
        "PHASE_FOR_STATUS",
        {**deadline_rules.PHASE_FOR_STATUS, "bkarta": {"phase_1": "phase_1", "phase_2": "phase_2"}},
    )
    bkarta.pages = [[lufthansa_air_berlin()]]

    run_import("bkarta_mergers")

    counted = compute_deadline(BKARTA_PHASE_1, datetime.date(2016, 12, 30)).date
    assert counted == datetime.date(2017, 1, 30)  # BGB s.187(1), s.188(2): the same day a month on
    period = bkarta_review().deadline_periods.get(state="running")
    assert (period.phase, period.due_on) == ("phase_1", counted)


def test_the_pager_is_followed_on_the_register_only(bkarta):
    bkarta.pages = [[lufthansa_air_berlin()], [with_lost_cells(lufthansa_air_berlin())]]

    run = run_import("bkarta_mergers").run

    assert (run.fetched, run.created, run.failed) == (2, 1, 1)
    assert run.failures[0]["item"] == "row-2-1"
    assert bkarta.pages_asked() == [None, "2"]

    bkarta.pages = [[lufthansa_air_berlin(cleared=True)]]
    bkarta.forward_to = "http://elsewhere.example/list?gtp=2"
    off = run_import("bkarta_mergers").run
    assert off.status == RunStatus.UNREACHABLE
    assert "leaves the register's origin" in off.error
    assert off.updated == 1  # the rows before the foreign link went in
    assert not any("elsewhere" in str(r.url) for r, _ in bkarta.server.log)


def test_an_unreachable_list_exits_2(bkarta):
    bkarta.status = 503
    err = io.StringIO()
    with pytest.raises(SystemExit) as unreachable:
        call_command("import_registry", "bkarta_mergers", stdout=io.StringIO(), stderr=err)
    assert unreachable.value.code == 2
    assert "HTTP 503" in err.getvalue()
    assert ImportRun.objects.get().status == RunStatus.UNREACHABLE


def test_a_page_without_the_table_is_an_unreachable_register(bkarta):
    bkarta.body = "<html><body><p>Wartungsarbeiten</p></body></html>"
    with pytest.raises(SystemExit) as unreachable:
        call_command(
            "import_registry", "bkarta_mergers", stdout=io.StringIO(), stderr=io.StringIO()
        )
    assert unreachable.value.code == 2
    assert "no table of merger proceedings" in ImportRun.objects.get().error


def test_the_sample_imports_without_network_on_a_fresh_database():
    out = io.StringIO()

    call_command("import_registry", "bkarta_mergers", "--sample", stdout=out)  # exit 0: returns

    assert "All items went in" in out.getvalue()
    review = bkarta_review()
    assert (review.status, review.closed_on) == (ReviewStatus.CLEARED, datetime.date(2017, 1, 30))
    assert review.url.startswith("https://www.bundeskartellamt.de/")


def test_the_sample_on_the_demo_database_leaves_the_demo_proceeding_as_it_is():
    load_demo()
    demo = Review.objects.get(regulator__slug="bkarta")
    before = (demo.status, demo.outcome, demo.url, demo.reference, demo.events.count())
    deals = Deal.objects.count()

    call_command("import_registry", "bkarta_mergers", "--sample", stdout=io.StringIO())

    demo.refresh_from_db()
    assert (demo.status, demo.outcome, demo.url, demo.reference, demo.events.count()) == before
    assert not Provenance.objects.filter(
        source="bkarta_mergers", content_type__model="review", object_id=demo.pk
    ).exists()
    # A different case: a deal of its own, not the demo's Microsoft / OpenAI.
    assert Deal.objects.count() == deals + 1
    assert Review.objects.filter(regulator__slug="bkarta").count() == 2


def test_a_proceeding_an_editor_entered_with_the_file_number_is_adopted(bkarta):
    from tests.factories import RegulatorFactory, ReviewFactory
    from tracker.services import transition_review

    entered = ReviewFactory(
        regulator=RegulatorFactory(slug="bkarta", short_name="BKartA", calendar="DE"),
        reference="B9-190/16",
        status=ReviewStatus.MONITORING,
        opened_on=None,
        url="",
    )
    transition_review(
        review_id=entered.pk,
        to_status=ReviewStatus.PHASE_1,
        occurred_on=datetime.date(2016, 12, 30),
        source_url="https://www.bundeskartellamt.de/",
    )
    bkarta.pages = [[lufthansa_air_berlin()]]

    run = run_import("bkarta_mergers").run

    assert (run.created, run.updated, run.failed) == (0, 1, 0)
    assert Review.objects.filter(regulator__slug="bkarta").count() == 1
    link = Provenance.objects.get(source="bkarta_mergers", content_type__model="review")
    assert link.object_id == entered.pk
    # The editor's own (empty) link is theirs: the register's goes to the queue.
    assert Review.objects.get(pk=entered.pk).url == ""
    assert list(Proposal.objects.values_list("kind", "field")) == [
        (ProposalKind.CONTRADICTS_EDITOR, "url")
    ]


def test_the_schedule_is_a_setting(settings):
    from imports.sources import source_named

    source = source_named("bkarta_mergers")
    assert source.schedule() == "35 * * * *"
    settings.IMPORTS_BKARTA_MERGERS_SCHEDULE = "0"
    assert source.schedule() == ""
