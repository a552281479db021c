"""Importing the Commission's merger cases from a local server playing its open-data file."""

import datetime
import io
import json

import pytest
from django.core.management import call_command

from imports.choices import RunStatus
from imports.models import ImportRun, Proposal, Provenance, SeenEntry
from imports.runner import run_import
from notices.models import Delivery
from tests.factories import SubscriptionFactory, UserFactory
from tracker.choices import EventKind, Outcome, ReviewStatus
from tracker.demo import load_demo
from tracker.models import Deal, Event, Party, Review

from .ec_mergers_documents import (
    ADOBE,
    ILLUMINA,
    MICROSOFT,
    NVIDIA,
    adobe_figma,
    file_of,
    illumina_grail,
    microsoft_activision,
    nvidia_runai,
)
from .ec_mergers_server import serve_case_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_file(httpserver, settings):
    return serve_case_file(httpserver, settings)


PAGE = "https://competition-cases.ec.europa.eu/cases/{}"


def ec_review(number):
    return Review.objects.select_related("deal").get(regulator__slug="ec", reference=number)


def counts():
    return (
        Deal.objects.count(),
        Party.objects.count(),
        Review.objects.count(),
        Event.objects.count(),
        Proposal.objects.count(),
        Delivery.objects.count(),
    )


def import_command(*args):
    call_command("import_registry", "ec_mergers", *args, stdout=io.StringIO(), stderr=io.StringIO())


def test_a_first_import_builds_the_cases_from_their_decisions(case_file):
    case_file.cases = file_of(nvidia_runai(), microsoft_activision(), illumina_grail())

    run = run_import("ec_mergers").run

    assert (run.status, run.fetched, run.created, run.failed) == (RunStatus.OK, 3, 3, 0)
    microsoft = ec_review(MICROSOFT)
    assert (microsoft.status, microsoft.outcome) == (
        ReviewStatus.CLEARED_WITH_CONDITIONS,
        Outcome.CLEARED_WITH_REMEDIES,
    )
    assert microsoft.url == PAGE.format(MICROSOFT)
    assert microsoft.regulator.short_name == "EC"
    assert microsoft.regulator.name == "European Commission (DG COMP)"
    assert microsoft.deal.currency == "EUR"
    assert list(
        microsoft.events.filter(kind=EventKind.STATUS_CHANGE)
        .order_by("occurred_on")
        .values_list("to_status", "occurred_on", "source_url")
    ) == [
        ("phase_1", datetime.date(2022, 9, 30), PAGE.format(MICROSOFT)),
        ("phase_2", datetime.date(2022, 11, 8), PAGE.format(MICROSOFT)),
        ("cleared_with_conditions", datetime.date(2023, 5, 15), PAGE.format(MICROSOFT)),
    ]
    illumina = ec_review(ILLUMINA)
    assert illumina.status == ReviewStatus.PROHIBITED
    release = illumina.events.get(title="Press release IP/21/3844")
    assert (release.occurred_on, release.source_url, release.source_type) == (
        datetime.date(2021, 7, 22),
        "https://ec.europa.eu/commission/presscorner/detail/en/ip_21_3844",
        "regulator",
    )
    assert (
        Provenance.objects.get(
            source="ec_mergers", source_id=NVIDIA, content_type__model="review"
        ).object_id
        == ec_review(NVIDIA).pk
    )
    # The list asked for the file once, and said which run it came from.
    assert len(case_file.requests()) == 1
    assert run.source_state["cases"] == 3 and run.source_state["etag"]


def test_a_malformed_and_a_broken_case_leave_the_rest_imported(case_file):
    broken_date = microsoft_activision()
    broken_date["decisions"][1]["metadata"]["decisionAdoptionDate"] = ["2023-13-40"]
    cases = file_of(nvidia_runai(), broken_date, adobe_figma())
    cases[ILLUMINA] = "a case that is not an object"
    case_file.cases = cases

    with pytest.raises(SystemExit) as exit_status:
        import_command()

    assert exit_status.value.code == 1
    run = ImportRun.objects.get(source="ec_mergers")
    assert (run.status, run.created, run.failed) == (RunStatus.PARTIAL, 2, 2)
    reasons = {f["item"]: f["reason"] for f in run.failures}
    assert "decisions[1].metadata.decisionAdoptionDate" in reasons[MICROSOFT]
    assert "not a JSON object" in reasons[ILLUMINA]
    assert set(Review.objects.filter(regulator__slug="ec").values_list("reference", flat=True)) == {
        NVIDIA,
        ADOBE,
    }
    # Nothing of a failed case is half-written, and it is tried again next time.
    assert not Party.objects.filter(name__icontains="Activision").exists()
    assert not SeenEntry.objects.filter(source_id=MICROSOFT).exists()


def test_an_unchanged_file_is_not_read_again(case_file):
    case_file.cases = file_of(nvidia_runai(), microsoft_activision(), adobe_figma())
    run_import("ec_mergers")
    before = counts()

    again = run_import("ec_mergers").run

    # The If-None-Match of the last complete run gets a 304: nothing is listed.
    conditional = case_file.requests()[-1].headers
    assert conditional["If-None-Match"] == again.source_state["etag"]
    assert conditional["If-Modified-Since"] == "Mon, 07 Dec 2026 05:00:00 GMT"
    assert (again.status, again.fetched, again.created, again.updated) == (RunStatus.OK, 0, 0, 0)
    assert counts() == before
    assert again.source_state["cases"] == 3  # kept for the run after


def test_the_same_file_again_is_unchanged_case_by_case(case_file):
    case_file.etags = False  # a server that ignores conditional requests
    case_file.cases = file_of(nvidia_runai(), microsoft_activision(), adobe_figma())
    run_import("ec_mergers")
    before = counts()

    again = run_import("ec_mergers").run

    assert (again.fetched, again.unchanged, again.created, again.updated, again.failed) == (
        3,
        3,
        0,
        0,
        0,
    )
    assert counts() == before


def test_a_decision_on_a_followed_case_is_one_event_and_one_notice(
    case_file, django_capture_on_commit_callbacks
):
    case_file.cases = file_of(nvidia_runai(cleared=False), microsoft_activision())
    run_import("ec_mergers")
    review = ec_review(NVIDIA)
    assert review.status == ReviewStatus.PHASE_1
    # The Commission's provisional deadline, kept beside our count of 25 working days.
    period = review.deadline_periods.get(state="running")
    assert (period.published_due_on, period.due_on) == (
        datetime.date(2024, 12, 20),
        datetime.date(2024, 12, 20),
    )
    assert not Proposal.objects.exists()
    follower = UserFactory(email="analyst@example.org")
    SubscriptionFactory(user=follower, deal=review.deal, by_email=True)
    sourced = set(review.events.exclude(source_url="").values_list("pk", flat=True))
    case_file.cases = file_of(nvidia_runai(), microsoft_activision())

    with django_capture_on_commit_callbacks(execute=True):
        run = run_import("ec_mergers").run

    assert (run.updated, run.unchanged, run.failed) == (1, 1, 0)
    review.refresh_from_db()
    assert (review.status, review.outcome, review.closed_on) == (
        ReviewStatus.CLEARED,
        Outcome.CLEARED,
        datetime.date(2024, 12, 20),
    )
    added = review.events.exclude(pk__in=sourced)
    # The register's decision is one sourced event: the status change (the decision entry of
    # that day and page is the same fact, adopted, not repeated) ...
    [new] = added.exclude(kind=EventKind.DEADLINE)
    assert (new.kind, new.from_status, new.to_status, new.source_url) == (
        EventKind.STATUS_CHANGE,
        ReviewStatus.PHASE_1,
        ReviewStatus.CLEARED,
        PAGE.format(NVIDIA),
    )
    assert not added.filter(kind=EventKind.DECISION).exists()
    # ... beside which the deadline service closes the phase 1 period it was counting.
    assert [e.title for e in added.filter(kind=EventKind.DEADLINE)] == [
        "EC: Phase 1 deadline met: decision on 2024-12-20 (cleared), due 2024-12-20"
    ]
    [notice] = Delivery.objects.all()
    assert (notice.user_id, notice.event_id) == (follower.pk, new.pk)


def test_a_first_import_of_past_cases_sends_no_notice(case_file):
    SubscriptionFactory(user=UserFactory(), deal=None, by_email=True)  # follows everything
    case_file.cases = file_of(nvidia_runai(), microsoft_activision(), illumina_grail())

    run_import("ec_mergers")

    assert Event.objects.filter(kind=EventKind.STATUS_CHANGE).count() == 2 + 3 + 3
    assert Delivery.objects.count() == 0
    assert not Event.objects.filter(recorded_as_history=False).exists()


def test_the_sample_reads_the_shipped_file_without_network(settings):
    settings.IMPORTS_REQUESTS_PER_SECOND = 0

    import_command("--sample")

    assert set(Review.objects.filter(regulator__slug="ec").values_list("reference", flat=True)) == {
        NVIDIA,
        MICROSOFT,
        ILLUMINA,
        ADOBE,
    }
    assert ImportRun.objects.get(source="ec_mergers").status == RunStatus.OK


def test_the_sample_adopts_the_demo_proceedings(settings):
    settings.IMPORTS_REQUESTS_PER_SECOND = 0
    load_demo()
    demo = {number: ec_review(number).pk for number in (NVIDIA, MICROSOFT, ILLUMINA)}
    deals = Deal.objects.count()

    import_command("--sample")

    for number, pk in demo.items():
        assert ec_review(number).pk == pk
        assert (
            Provenance.objects.get(
                source="ec_mergers", source_id=number, content_type__model="review"
            ).object_id
            == pk
        )
    assert Deal.objects.count() == deals + 1  # Adobe / Figma is not in the demo
    # The demo has Illumina / GRAIL closed after the Court of Justice's judgment; the
    # register's prohibition is put to an editor, not written over it.
    assert ec_review(ILLUMINA).status == ReviewStatus.CLOSED
    [proposal] = Proposal.objects.filter(source="ec_mergers")
    assert (proposal.source_id, proposal.proposed_value) == (ILLUMINA, ReviewStatus.PROHIBITED)


def test_an_unreachable_register_is_exit_status_2(case_file, settings):
    from tests.receivers import free_port

    settings.EC_CASE_DATA_URL = f"http://127.0.0.1:{free_port()}/case-data-M.json"
    with pytest.raises(SystemExit) as unreachable:
        import_command()
    assert unreachable.value.code == 2
    assert ImportRun.objects.get().status == RunStatus.UNREACHABLE


def test_a_failing_file_is_exit_status_2(case_file):
    case_file.status = 503
    with pytest.raises(SystemExit) as unreachable:
        import_command()
    assert unreachable.value.code == 2
    assert "HTTP 503 after 2 attempts" in ImportRun.objects.get().error


def test_a_truncated_file_applies_nothing(case_file):
    whole = json.dumps(file_of(nvidia_runai(), microsoft_activision())).encode()
    case_file.body = whole[: len(whole) // 2]

    with pytest.raises(SystemExit) as unreachable:
        import_command()

    assert unreachable.value.code == 2
    assert "not valid JSON" in ImportRun.objects.get().error
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_a_shrunken_file_applies_nothing_and_the_next_run_starts_from_the_last_good_one(
    case_file,
):
    case_file.cases = file_of(
        nvidia_runai(cleared=False), microsoft_activision(), illumina_grail(), adobe_figma()
    )
    run_import("ec_mergers")
    case_file.cases = file_of(nvidia_runai())  # three of four cases gone

    shrunk = run_import("ec_mergers").run

    assert shrunk.status == RunStatus.UNREACHABLE and "1 cases, 4" in shrunk.error
    assert ec_review(NVIDIA).status == ReviewStatus.PHASE_1  # its change was not applied
    assert ImportRun.objects.filter(status=RunStatus.OK).count() == 1
