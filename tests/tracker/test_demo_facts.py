"""Demo facts as their primary sources give them: Illumina / GRAIL's US case, the
Commission's gun-jumping fine as a proceeding of its own, and no day where a source gives none."""

import datetime

import pytest

from tracker.choices import DatePrecision, DealRole, EventKind, Outcome, ReviewStatus
from tracker.demo import load_demo
from tracker.models import Event, Review, ReviewDeal

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return load_demo()


def test_illumina_grail_has_its_ftc_administrative_case(demo):
    ftc = Review.objects.get(regulator__slug="ftc", reference="D-9401")
    assert ftc.deal.slug == "illumina-grail"
    assert ftc.opened_on == datetime.date(2021, 3, 30)
    assert ftc.court.slug == "us-ca5" and ftc.docket_number == "23-60167"
    moves = list(
        ftc.events.filter(kind=EventKind.STATUS_CHANGE)
        .order_by("occurred_on")
        .values_list("occurred_on", "to_status")
    )
    assert moves == [
        (datetime.date(2021, 3, 30), ReviewStatus.LITIGATION),
        (datetime.date(2023, 4, 3), ReviewStatus.PROHIBITED),
        (datetime.date(2023, 6, 1), ReviewStatus.APPEAL),
        (datetime.date(2023, 12, 15), ReviewStatus.LITIGATION),
    ]
    # The petition is known to the month only, as the FTC's page gives it.
    petition = ftc.events.get(kind=EventKind.STATUS_CHANGE, to_status=ReviewStatus.APPEAL)
    assert petition.date_precision == DatePrecision.MONTH
    order = ftc.events.get(kind=EventKind.STATUS_CHANGE, to_status=ReviewStatus.PROHIBITED)
    assert order.source_url.startswith("https://www.ftc.gov/")


def test_the_gun_jumping_fine_is_its_own_proceeding_related_to_the_deal(demo):
    merger = Review.objects.get(regulator__slug="ec", reference="M.10188")
    fine = Review.objects.get(regulator__slug="ec", reference="M.10493")
    assert not merger.events.filter(title__icontains="gun-jumping").exists()
    assert fine.status == ReviewStatus.CLOSED and fine.outcome == Outcome.FINED
    assert fine.opened_on == datetime.date(2022, 7, 19)
    assert ReviewDeal.objects.get(review=fine).role == DealRole.RELATED
    decision = fine.events.get(kind=EventKind.STATUS_CHANGE)
    assert decision.occurred_on == datetime.date(2023, 7, 12)
    assert decision.source_url == "https://competition-cases.ec.europa.eu/cases/M.10493"
    assert fine.events.filter(title="Commission withdraws the fine").exists()


def test_an_event_whose_source_gives_no_day_is_shown_to_the_month(demo):
    extension = Event.objects.get(review__reference="M.10646", date_precision=DatePrecision.MONTH)
    assert "extended by 10 working days" in extension.title
    assert (extension.occurred_on.year, extension.occurred_on.month) == (2022, 11)


def test_no_demo_event_known_to_the_day_falls_on_a_weekend_unless_its_source_says_so(demo):
    weekend = [
        (e.title, e.occurred_on)
        for e in Event.objects.filter(date_precision=DatePrecision.DAY).exclude(
            kind=EventKind.DEADLINE
        )
        if e.occurred_on.weekday() >= 5
    ]
    # Illumina announced the divestiture on Sunday 17 December 2023, and VodafoneThree's
    # completion on Saturday 31 May 2025 is the day the companies announced.
    assert sorted(weekend) == [
        ("Illumina announces it will divest GRAIL", datetime.date(2023, 12, 17)),
        ("Merger completed: VodafoneThree", datetime.date(2025, 5, 31)),
    ]


def test_the_commissions_own_look_at_microsoft_openai_is_a_preliminary_inquiry(demo):
    look = Review.objects.get(
        regulator__slug="ec", deal__slug="microsoft-openai", review_type="merger_control"
    )
    assert look.opened_on == datetime.date(2024, 1, 9)
    assert look.formally_opened_on is None  # never notified: no formal case opened
    assert (look.status, look.outcome) == (ReviewStatus.CLOSED, Outcome.NOT_QUALIFYING)
    first = look.events.filter(kind=EventKind.STATUS_CHANGE).order_by("occurred_on").first()
    assert first.to_status == ReviewStatus.PRELIMINARY_INQUIRY
    assert not look.events.filter(to_status=ReviewStatus.PRE_NOTIFICATION).exists()


def test_the_ftc_6b_orders_open_a_preliminary_inquiry_of_the_ftcs_own(demo):
    study = Review.objects.get(regulator__slug="ftc", review_type="market_study")
    moves = list(
        study.events.filter(kind=EventKind.STATUS_CHANGE)
        .order_by("occurred_on")
        .values_list("occurred_on", "to_status")
    )
    assert moves == [
        (datetime.date(2024, 1, 25), ReviewStatus.PRELIMINARY_INQUIRY),
        (datetime.date(2025, 1, 17), ReviewStatus.CLOSED),
    ]
    assert study.formally_opened_on is None


def test_headline_values_are_as_announced_and_say_what_they_are(demo):
    from decimal import Decimal

    from tracker.models import Deal

    illumina = Deal.objects.get(slug="illumina-grail")
    # Illumina announced $8bn in cash and stock; $7.1bn is the FTC's net figure.
    assert (illumina.value, illumina.value_basis) == (Decimal("8000000000"), "committed")
    assert not Deal.objects.filter(value__isnull=False, value_basis="").exists()
