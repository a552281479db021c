"""Where a case a register shows for the first time begins: in phase 1, in the status it
shows before phase 1 (a referral request), or, for a matter with no review phase (a
waiver), straight at its outcome."""

import dataclasses
import datetime

import pytest

from imports.applier import Applier
from imports.records import CaseRecord, PartySide
from tracker.choices import EventKind, Outcome, ReviewStatus
from tracker.models import Review

pytestmark = pytest.mark.django_db


def case(**fields) -> CaseRecord:
    values = dict(
        source="ec_mergers",
        source_id="M.99999",
        url="https://competition-cases.ec.europa.eu/cases/M.99999",
        regulator="ec",
        title="Examplo / Widgetco",
        deal_title="Examplo / Widgetco",
        deal_type="acquisition",
        sides=[PartySide(("Examplo plc",)), PartySide(("Widgetco Ltd",))],
        status=ReviewStatus.PHASE_1,
        outcome="",
        outcome_wording="",
        registry_state="open",
        registry_outcome="",
        opened_on=datetime.date(2026, 3, 2),
        closed_on=None,
        reference="M.99999",
    )
    return CaseRecord(**{**values, **fields})


def moves(review: Review) -> list[str]:
    return list(
        review.events.filter(kind=EventKind.STATUS_CHANGE)
        .order_by("occurred_on", "pk")
        .values_list("to_status", flat=True)
    )


def test_a_case_first_seen_as_a_referral_request_opens_as_one_then_is_notified():
    referral = case(status=ReviewStatus.REFERRAL)
    Applier().apply(referral)
    review = Review.objects.get(reference="M.99999")
    assert (review.status, moves(review)) == (ReviewStatus.REFERRAL, [ReviewStatus.REFERRAL])

    Applier().apply(dataclasses.replace(referral, status=ReviewStatus.PHASE_1))

    review.refresh_from_db()
    assert moves(review) == [ReviewStatus.REFERRAL, ReviewStatus.PHASE_1]


def test_a_matter_with_no_review_phase_goes_straight_to_its_outcome():
    Applier().apply(
        case(
            source="accc_acquisitions",
            source_id="WA-00001",
            url="https://www.accc.gov.au/example/WA-00001",
            regulator="accc",
            reference="WA-00001",
            opens_in="",
            status=ReviewStatus.CLOSED,
            outcome=Outcome.NOT_QUALIFYING,
            registry_state="Waiver granted",
            closed_on=datetime.date(2026, 3, 20),
        )
    )

    review = Review.objects.get(reference="WA-00001")
    assert (review.status, moves(review)) == (ReviewStatus.CLOSED, [ReviewStatus.CLOSED])
    assert review.deadline_periods.count() == 0


def test_a_clock_act_of_an_earlier_phase_leaves_the_running_period_alone():
    from imports.records import CLOCK_EXTEND, Document
    from tracker.models import DeadlineExtension

    result = Applier().apply(
        case(
            status=ReviewStatus.PHASE_2,
            reached_phase_2=True,
            phase_2_on=datetime.date(2026, 4, 20),
            documents=[
                Document(
                    datetime.date(2026, 3, 20),
                    "Phase 1 extended by 10 working days (commitments offered)",
                    "https://competition-cases.ec.europa.eu/cases/M.99999",
                    clock_action=CLOCK_EXTEND,
                    clock_length=10,
                    clock_reason="commitments offered in phase 1",
                )
            ],
        )
    )

    review = Review.objects.get(reference="M.99999")
    assert review.deadline_periods.get(state="running").clock_started_on == datetime.date(
        2026, 4, 20
    )
    assert DeadlineExtension.objects.count() == 0
    assert any("earlier phase" in change for change in result.changes)
