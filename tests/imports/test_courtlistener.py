"""Importing court dockets from a local server in CourtListener's API format."""

import datetime
import io

import pytest
from django.core.management import call_command

from imports.choices import ProposalKind, RunStatus
from imports.models import ImportRun, Proposal, Provenance
from imports.records import ParseError
from imports.runner import run_import
from imports.sources import source_named
from imports.sources.courtlistener import event_kind, list_entry, parse_entry
from regulators.models import Court
from tracker.choices import EventKind, ReviewStatus, ReviewType
from tracker.models import Event, Review

from . import courtlistener_documents as cl
from .courtlistener_server import FakeCourtListener

pytestmark = pytest.mark.django_db


@pytest.fixture
def courtlistener(httpserver, settings) -> FakeCourtListener:
    settings.COURTLISTENER_URL = httpserver.url_for("").rstrip("/")
    settings.COURTLISTENER_TOKEN = "test-token"
    settings.COURTLISTENER_DOCKETS = "us-dcd 1:20-cv-03010; us-dcd 1:20-cv-03715"
    settings.IMPORTS_REQUESTS_PER_SECOND = 0
    settings.IMPORTS_BACKOFF_SECONDS = 0
    settings.IMPORTS_RETRIES = 1
    settings.IMPORTS_CONTACT_URL = "https://tracker.example.org/about"
    return FakeCourtListener(httpserver)


US_KEY = ("dcd", "1:20-cv-03010")
COLORADO_KEY = ("dcd", "1:20-cv-03715")


def parsed(entry: dict, *, news: bool = True):
    item = list_entry(*cl.US_V_GOOGLE, entry, news=news)
    return parse_entry(item.payload, item.url)


# --- parsing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("description", "kind"),
    [
        ("COMPLAINT against GOOGLE LLC", EventKind.COMPLAINT),
        ("AMENDED COMPLAINT against GOOGLE LLC", EventKind.COMPLAINT),
        ("MEMORANDUM OPINION on liability.", EventKind.OPINION),
        ("Memorandum Opinion and Order", EventKind.OPINION),
        ("FINAL JUDGMENT", EventKind.JUDGMENT),
        ("NOTICE OF APPEAL TO DC CIRCUIT COURT by GOOGLE LLC", EventKind.APPEAL),
        ("NOTICE OF CROSS APPEAL by STATE OF COLORADO", EventKind.APPEAL),
        ("Minute Entry for Status Conference held before Judge", EventKind.HEARING),
        ("Executive summary of plaintiffs' proposed final judgment.", EventKind.FILING),
        ("MOTION for leave to participate as amicus curiae", EventKind.FILING),
    ],
)
def test_an_entrys_text_says_what_it_is(description, kind):
    assert event_kind(description) == kind


def test_an_entry_is_a_court_notice_named_by_its_docket_and_entry_number():
    record = parsed(cl.liability_opinion())

    assert record.source_id == "us-dcd:1:20-cv-03010:1033"
    assert record.title == "ECF No. 1033: MEMORANDUM OPINION on liability."
    assert (record.published_on, record.event_kind, record.kind) == (
        datetime.date(2024, 8, 5),
        EventKind.OPINION,
        EventKind.OPINION,
    )
    assert record.url == "https://storage.courtlistener.com/" + cl.LIABILITY_PDF
    assert (record.references, record.court, record.regulator) == (["1:20-cv-03010"], "us-dcd", "")
    assert (record.source_type, record.may_open, record.moves_to) == ("court", False, "")
    assert record.source_title == "1:20-cv-03010 (D.D.C.), ECF No. 1033 (CourtListener)"


def test_an_attachments_page_is_the_link_when_the_entry_has_no_main_document(settings):
    settings.COURTLISTENER_URL = "https://www.courtlistener.com"
    assert parsed(cl.anthropic_amicus()).url == "https://www.courtlistener.com" + cl.AMICUS_PAGE


def test_a_complaint_moves_its_proceeding_only_when_it_is_news():
    assert parsed(cl.complaint()).moves_to == ReviewStatus.LITIGATION
    assert parsed(cl.complaint(), news=False).moves_to == ""
    assert parsed(cl.liability_opinion()).moves_to == ""


def test_an_unnumbered_entry_is_not_followed_and_a_numbered_one_is():
    unnumbered = {**cl.liability_opinion(), "entry_number": None}
    assert list_entry(*cl.US_V_GOOGLE, unnumbered, news=True).followed is False
    assert list_entry(*cl.US_V_GOOGLE, cl.liability_opinion(), news=True).followed is True


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"entry_number": None}, "entry_number"),
        ({"entry_number": "1033"}, "entry_number"),
        ({"entry_number": -1}, "entry_number"),
        ({"date_filed": "5 August 2024"}, "date_filed"),
        ({"date_filed": None}, "date_filed"),
        ({"description": "  "}, "description"),
        ({"recap_documents": "oops"}, "recap_documents"),
        ({"recap_documents": [], "docket": None}, "recap_documents"),  # an opinion needs a link
    ],
)
def test_a_malformed_entry_names_the_field(change, field):
    with pytest.raises(ParseError, match=field):
        parsed({**cl.liability_opinion(), **change})


def test_an_entry_that_is_not_an_object_is_a_parse_error():
    with pytest.raises(ParseError, match="not a JSON object"):
        parse_entry({"court": "us-dcd", "docket_number": "1:20-cv-03010", "entry": "oops"})


def test_without_a_token_the_source_is_off_and_not_scheduled(settings):
    settings.COURTLISTENER_TOKEN = ""
    source = source_named("courtlistener")
    assert "COURTLISTENER_TOKEN" in source.off_because()
    assert source.schedule() == ""
    settings.COURTLISTENER_TOKEN = "key"
    assert source.off_because() == "" and source.schedule() == source.default_schedule


def test_each_dockets_sample_is_its_own_file():
    source = source_named("courtlistener")
    base = "https://www.courtlistener.com/api/rest/v4/docket-entries/?docket__court=dcd"
    assert source.sample_file(f"{base}&docket__docket_number=1%3A20-cv-03010") == (
        "www.courtlistener.com/api/rest/v4/docket-entries/dcd/1-20-cv-03010.json"
    )
    assert source.sample_file(f"{base}&docket__docket_number=1:20-cv-03715&cursor=cD0x") == (
        "www.courtlistener.com/api/rest/v4/docket-entries/dcd/1-20-cv-03715-cD0x.json"
    )


# --- importing -------------------------------------------------------------------------


@pytest.fixture
def us_v_google():
    """The DOJ's suit as an editor entered it: a litigation proceeding with its docket."""
    from tests.factories import RegulatorFactory, ReviewFactory

    court = Court.objects.create(
        slug="us-dcd",
        name="United States District Court for the District of Columbia",
        short_name="D.D.C.",
        jurisdiction="US",
    )
    doj = RegulatorFactory(short_name="DOJ", slug="doj", jurisdiction="US")
    return ReviewFactory(
        regulator=doj,
        review_type=ReviewType.LITIGATION,
        status=ReviewStatus.MONITORING,
        opened_on=None,  # entered before the suit was filed
        court=court,
        docket_number="1:20-cv-03010",
        reference="1:20-cv-03010",
        title="United States v. Google LLC (search)",
    )


def court_events(review):
    return review.events.filter(source_type="court").order_by("occurred_on")


def test_entries_land_on_the_proceeding_with_their_docket_and_the_companion_case_is_queued(
    courtlistener, us_v_google
):
    courtlistener.dockets = {
        US_KEY: [cl.us_v_google_entries()],
        COLORADO_KEY: [[cl.colorado_complaint()]],
    }

    run = run_import("courtlistener").run

    assert (run.status, run.fetched, run.updated, run.queued, run.failed) == (
        RunStatus.OK,
        6,
        5,
        1,
        0,
    )
    assert [(e.occurred_on, e.kind) for e in court_events(us_v_google)] == [
        (datetime.date(2020, 10, 20), EventKind.COMPLAINT),
        (datetime.date(2024, 8, 5), EventKind.OPINION),
        (datetime.date(2024, 11, 20), EventKind.FILING),
        (datetime.date(2025, 2, 14), EventKind.FILING),
        (datetime.date(2025, 9, 2), EventKind.OPINION),
    ]
    us_v_google.refresh_from_db()
    assert us_v_google.status == ReviewStatus.MONITORING  # a docket's past moves nothing
    [queued] = Proposal.objects.all()
    assert (queued.kind, queued.source_id) == (ProposalKind.UNMATCHED, "us-dcd:1:20-cv-03715:3")
    assert "ECF No. 3" in queued.summary
    # One request per docket, with the token, for the whole docket on a first run.
    [first, second] = courtlistener.requests()
    assert first.headers["Authorization"] == "Token test-token"
    assert (first.args["docket__court"], first.args["docket__docket_number"]) == US_KEY
    assert "date_filed__gte" not in first.args
    assert second.args["docket__docket_number"] == "1:20-cv-03715"


def test_a_re_run_changes_nothing(courtlistener, us_v_google):
    courtlistener.dockets = {
        US_KEY: [cl.us_v_google_entries()],
        COLORADO_KEY: [[cl.colorado_complaint()]],
    }
    run_import("courtlistener")
    counts = (Event.objects.count(), Proposal.objects.count())

    again = run_import("courtlistener").run

    assert (again.fetched, again.unchanged, again.updated, again.queued) == (6, 6, 0, 0)
    assert (Event.objects.count(), Proposal.objects.count()) == counts


def test_a_later_run_reads_a_known_docket_from_since(courtlistener, us_v_google):
    courtlistener.dockets = {US_KEY: [cl.us_v_google_entries()]}
    run_import("courtlistener")
    courtlistener.server.clear_log()

    run_import("courtlistener", since=datetime.date(2025, 1, 1))

    assert courtlistener.requests()[0].args["date_filed__gte"] == "2025-01-01"


def test_cursor_pages_are_followed(courtlistener, us_v_google):
    courtlistener.dockets = {
        US_KEY: [[cl.complaint(), cl.liability_opinion()], [cl.remedies_opinion()]]
    }

    run = run_import("courtlistener").run

    assert (run.fetched, run.updated) == (3, 3)
    assert [r.args.get("cursor") for r in courtlistener.requests()][:2] == [None, "1"]


def test_a_new_entry_on_a_known_docket_moves_the_proceeding_with_one_event_and_one_notice(
    courtlistener, us_v_google, django_capture_on_commit_callbacks
):
    from notices.models import Delivery
    from tests.factories import SubscriptionFactory, UserFactory

    follower = UserFactory(email="analyst@example.org")
    SubscriptionFactory(user=follower, deal=us_v_google.deal, by_email=True)
    courtlistener.dockets = {US_KEY: [[]]}  # on CourtListener before its first entry
    run_import("courtlistener")
    events = Event.objects.count()
    courtlistener.dockets = {US_KEY: [[cl.complaint()]]}

    with django_capture_on_commit_callbacks(execute=True):
        run = run_import("courtlistener").run

    assert (run.updated, run.failed) == (1, 0)
    us_v_google.refresh_from_db()
    assert us_v_google.status == ReviewStatus.LITIGATION
    assert Event.objects.count() == events + 1
    [moved] = us_v_google.events.filter(kind=EventKind.STATUS_CHANGE)
    assert (moved.to_status, moved.source_type, moved.occurred_on) == (
        ReviewStatus.LITIGATION,
        "court",
        datetime.date(2020, 10, 20),
    )
    assert moved.title.startswith("ECF No. 1: COMPLAINT")
    assert moved.source_url == cl.DOCKET_API  # the complaint's document is not archived
    assert [(d.event_id, d.user_id) for d in Delivery.objects.all()] == [(moved.pk, follower.pk)]


def test_a_first_import_of_a_dockets_past_sends_no_notice(courtlistener, us_v_google):
    from notices.models import Delivery
    from tests.factories import SubscriptionFactory, UserFactory

    SubscriptionFactory(user=UserFactory(), deal=us_v_google.deal, by_email=True)
    SubscriptionFactory(user=UserFactory(), deal=None, by_email=True)  # follows everything
    courtlistener.dockets = {US_KEY: [cl.us_v_google_entries()]}

    run_import("courtlistener")

    assert court_events(us_v_google).count() == 5
    assert not us_v_google.events.filter(kind=EventKind.STATUS_CHANGE).exists()
    # The entries are on the timeline as news, not history (a notice record cannot say it is
    # history): followers of the court's event kinds would hear of them, the deal's do not.
    assert Delivery.objects.count() == 0


def test_a_malformed_and_a_broken_entry_fail_alone_and_the_command_exits_1(
    courtlistener, us_v_google
):
    malformed = {**cl.liability_opinion(), "date_filed": "5 August 2024"}
    broken = {**cl.anthropic_amicus(), "recap_documents": "oops"}
    unnumbered = {**cl.proposed_final_judgment(), "entry_number": None}
    courtlistener.dockets = {
        US_KEY: [[cl.complaint(), malformed, broken, unnumbered, cl.remedies_opinion()]]
    }

    with pytest.raises(SystemExit) as some_failed:
        call_command("import_registry", "courtlistener", stdout=io.StringIO(), stderr=io.StringIO())

    assert some_failed.value.code == 1
    run = ImportRun.objects.get()
    assert (run.status, run.updated, run.failed, run.skipped) == (RunStatus.PARTIAL, 2, 2, 1)
    reasons = {f["item"]: f["reason"] for f in run.failures}
    assert "date_filed: unparseable date" in reasons["us-dcd:1:20-cv-03010:1033"]
    assert "recap_documents: not a list" in reasons["us-dcd:1:20-cv-03010:1165"]
    assert court_events(us_v_google).count() == 2


def test_429_with_retry_after_is_honoured(courtlistener, us_v_google, monkeypatch):
    waits = []
    monkeypatch.setattr("imports.client.time.sleep", waits.append)
    courtlistener.dockets = {US_KEY: [[cl.complaint()]]}
    courtlistener.scripted = [(429, "{}", {"Retry-After": "7"})]

    run = run_import("courtlistener").run

    assert (run.status, run.updated) == (RunStatus.OK, 1)
    assert 7.0 in waits
    assert len(courtlistener.requests()) == 3  # the 429, its retry, the companion docket


def test_an_unreachable_register_is_exit_status_2(courtlistener):
    courtlistener.down = 503
    err = io.StringIO()

    with pytest.raises(SystemExit) as unreachable:
        call_command("import_registry", "courtlistener", stdout=io.StringIO(), stderr=err)

    assert unreachable.value.code == 2
    assert "HTTP 503" in err.getvalue()
    assert ImportRun.objects.get().status == RunStatus.UNREACHABLE


def test_without_a_token_a_run_is_unreachable_and_asks_nothing(courtlistener, settings):
    settings.COURTLISTENER_TOKEN = ""

    report = run_import("courtlistener")

    assert report.exit_status == 2
    assert "COURTLISTENER_TOKEN" in report.run.error
    assert courtlistener.requests() == []


def test_the_sample_needs_no_token_and_no_network(settings):
    settings.COURTLISTENER_TOKEN = ""
    settings.COURTLISTENER_URL = "https://www.courtlistener.com"
    settings.COURTLISTENER_DOCKETS = "us-dcd 1:20-cv-03010; us-dcd 1:20-cv-03715"

    call_command("import_registry", "courtlistener", "--sample", stdout=io.StringIO())

    run = ImportRun.objects.get()
    assert (run.status, run.fetched, run.queued) == (RunStatus.OK, 6, 6)


def test_the_sample_on_the_demo_adopts_its_us_v_google_proceeding(settings):
    from tracker.demo import load_demo

    settings.COURTLISTENER_TOKEN = ""
    settings.COURTLISTENER_URL = "https://www.courtlistener.com"
    settings.COURTLISTENER_DOCKETS = "us-dcd 1:20-cv-03010; us-dcd 1:20-cv-03715"
    load_demo()
    demo = Review.objects.get(docket_number="1:20-cv-03010")
    status = demo.status

    call_command("import_registry", "courtlistener", "--sample", stdout=io.StringIO())

    run = ImportRun.objects.get()
    assert (run.status, run.updated, run.queued, run.failed) == (RunStatus.OK, 5, 1, 0)
    # The three entries whose documents the demo cites already are those events, adopted.
    assert demo.events.filter(title__startswith="ECF No. ").count() == 2
    assert (
        Provenance.objects.filter(source="courtlistener", content_type__model="event").count() == 5
    )
    demo.refresh_from_db()
    assert demo.status == status


def test_the_trackers_own_dockets_are_followed_in_the_courts_courtlistener_knows(
    courtlistener, settings, us_v_google
):
    from tests.factories import ReviewFactory

    settings.COURTLISTENER_DOCKETS = ""
    cat = Court.objects.create(
        slug="uk-cat", name="Competition Appeal Tribunal", short_name="CAT", jurisdiction="GB"
    )
    ReviewFactory(court=cat, docket_number="1590/4/12/23")  # not on CourtListener

    run_import("courtlistener")

    asked = [
        (r.args["docket__court"], r.args["docket__docket_number"]) for r in courtlistener.requests()
    ]
    assert asked == [US_KEY]


def test_a_next_link_off_the_registers_origin_is_refused(courtlistener, us_v_google):
    courtlistener.scripted = [
        (
            200,
            '{"next": "https://elsewhere.example.org/api/rest/v4/docket-entries/?cursor=1", "results": []}',
            {},
        )
    ]

    run = run_import("courtlistener").run

    assert run.status == RunStatus.UNREACHABLE
    assert "leaves the register's origin" in run.error
    assert len(courtlistener.requests()) == 1


def test_a_queued_entry_of_the_companion_case_attached_by_an_editor_lands_there(
    courtlistener, us_v_google, admin_user
):
    from imports import decisions

    courtlistener.dockets = {COLORADO_KEY: [[cl.colorado_complaint()]]}
    run_import("courtlistener")
    proposal = Proposal.objects.get()

    decisions.attach(proposal, us_v_google, admin_user)

    [event] = us_v_google.events.filter(kind=EventKind.COMPLAINT)
    assert (event.occurred_on, event.source_type) == (datetime.date(2020, 12, 17), "court")
    assert event.title.startswith("ECF No. 3: COMPLAINT")


def test_only_a_change_in_a_field_read_changes_the_fingerprint():
    def fingerprint(entry):
        return list_entry(*cl.US_V_GOOGLE, entry, news=True).fingerprint

    touched = cl.liability_opinion()
    touched["date_modified"] = "2026-01-02T03:04:05Z"
    touched["recap_documents"][0]["page_count"] = 286
    assert fingerprint(touched) == fingerprint(cl.liability_opinion())
    retitled = {**cl.liability_opinion(), "description": "MEMORANDUM OPINION (redacted)."}
    assert fingerprint(retitled) != fingerprint(cl.liability_opinion())
