import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Count

from tests.factories import DealFactory, EventFactory, RegulatorFactory, ReviewFactory
from tracker.choices import EventKind, ReviewStatus
from tracker.models import Deal, Event, Review, ReviewDeal

pytestmark = pytest.mark.django_db


def assert_refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_a_regulator_may_run_several_proceedings_on_one_deal_each_with_its_own_reference():
    first = ReviewFactory(reference="ME/6995/22")
    second = ReviewFactory(deal=first.deal, regulator=first.regulator, reference="ME/7045/23")
    assert set(first.deal.reviews.all()) == {first, second}
    assert_refused(lambda: ReviewFactory(regulator=first.regulator, reference="ME/6995/22"))


def test_references_are_unique_per_regulator_only_and_blank_ones_never_clash():
    review = ReviewFactory(reference="M.11766")
    ReviewFactory(reference="M.11766")  # another regulator's
    ReviewFactory(regulator=review.regulator, reference="")
    ReviewFactory(regulator=review.regulator, reference="")


def test_the_lead_deal_is_always_covered_and_events_without_a_deal_show_on_every_covered_deal():
    review = ReviewFactory()
    other = DealFactory()
    ReviewDeal.objects.create(review=review, deal=other)
    shared = EventFactory(review=review, deal=None, kind=EventKind.DECISION)
    own = EventFactory(review=review, deal=other, kind=EventKind.NEWS)
    assert set(review.deals.all()) == {review.deal, other}
    assert list(Event.objects.on_timeline_of(review.deal)) == [shared]
    assert set(Event.objects.on_timeline_of(other)) == {shared, own}


def test_an_event_belongs_to_a_deal_or_a_proceeding():
    assert_refused(lambda: EventFactory(review=None, deal=None))


def test_outcome_must_be_in_the_vocabulary():
    assert_refused(lambda: ReviewFactory(status=ReviewStatus.CLEARED, outcome="waved through"))


def test_review_status_must_be_in_the_vocabulary():
    assert_refused(lambda: ReviewFactory(status="maybe"))


def test_closed_review_needs_closed_on_and_open_review_has_none():
    assert_refused(lambda: ReviewFactory(status=ReviewStatus.CLEARED, closed_on=None))
    assert_refused(
        lambda: ReviewFactory(status=ReviewStatus.PHASE_1, closed_on=datetime.date(2024, 5, 1))
    )


def test_review_cannot_close_before_it_opened():
    assert_refused(
        lambda: ReviewFactory(
            status=ReviewStatus.CLEARED,
            opened_on=datetime.date(2024, 5, 1),
            closed_on=datetime.date(2024, 4, 1),
        )
    )


def test_status_change_event_carries_both_statuses():
    review = ReviewFactory()
    assert_refused(lambda: EventFactory(review=review, kind=EventKind.STATUS_CHANGE))
    assert_refused(
        lambda: EventFactory(
            review=review, kind=EventKind.NEWS, from_status="phase_1", to_status="phase_2"
        )
    )


def test_status_change_event_needs_a_review():
    deal = DealFactory()
    assert_refused(
        lambda: Event.objects.create(
            deal=deal,
            kind=EventKind.STATUS_CHANGE,
            occurred_on=datetime.date(2024, 1, 1),
            title="x",
            from_status="phase_1",
            to_status="phase_2",
        )
    )


def test_only_investment_events_carry_an_amount():
    assert_refused(lambda: EventFactory(kind=EventKind.NEWS, amount=Decimal("5")))
    assert EventFactory(kind=EventKind.INVESTMENT, amount=Decimal("5")).amount == Decimal("5")


def test_deal_type_and_dates_are_checked():
    assert_refused(lambda: DealFactory(deal_type="hostile_takeover"))
    assert_refused(
        lambda: DealFactory(
            announced_on=datetime.date(2024, 5, 1), completed_on=datetime.date(2024, 1, 1)
        )
    )


def test_regulator_short_name_unique_per_jurisdiction_case_insensitive():
    RegulatorFactory(short_name="CMA", slug="cma", jurisdiction="GB")
    assert_refused(
        lambda: RegulatorFactory(short_name="cma", name="Second", slug="cma-2", jurisdiction="GB")
    )
    assert RegulatorFactory(
        short_name="CMA", name="Other CMA", slug="cma-other", jurisdiction="XX"
    ).pk


def test_total_committed_adds_up_the_investment_tranches():
    deal = DealFactory()
    for amount in ["1250000000", "2750000000", "4000000000", "5000000000"]:
        EventFactory(review=None, deal=deal, kind=EventKind.INVESTMENT, amount=Decimal(amount))
    EventFactory(review=None, deal=deal, kind=EventKind.NEWS)  # no amount, not counted
    assert deal.total_committed == Decimal("13000000000")
    annotated = Deal.objects.with_total_committed().get(pk=deal.pk)
    assert annotated.total_committed == Decimal("13000000000")


def test_total_committed_is_not_multiplied_by_joins():
    deal = DealFactory()
    ReviewFactory(deal=deal)
    ReviewFactory(deal=deal)
    EventFactory(review=None, deal=deal, kind=EventKind.INVESTMENT, amount=Decimal("2000000000"))
    annotated = Deal.objects.with_total_committed().annotate(n=Count("reviews")).get(pk=deal.pk)
    assert (annotated.total_committed, annotated.n) == (Decimal("2000000000"), 2)


def test_total_committed_is_none_without_investments():
    assert DealFactory().total_committed is None


def test_review_queryset_open_and_closed():
    open_review = ReviewFactory(status=ReviewStatus.PHASE_2)
    closed_review = ReviewFactory(status=ReviewStatus.PROHIBITED)
    assert list(Review.objects.open()) == [open_review]
    assert list(Review.objects.closed()) == [closed_review]


def test_a_regulator_holds_proceedings_of_different_kinds_on_the_same_parties():
    merger = ReviewFactory(reference="M.9999", review_type="merger_control")
    antitrust = ReviewFactory(
        deal=merger.deal,
        regulator=merger.regulator,
        reference="AT.40999",
        review_type="investigation",
    )
    study = ReviewFactory(reference="6(b) AI Partnerships", review_type="market_study")
    later_merger = ReviewFactory(
        deal=study.deal,
        regulator=study.regulator,
        reference="F-2026-001",
        review_type="merger_control",
    )
    assert set(merger.deal.reviews.all()) == {merger, antitrust}
    assert set(study.deal.reviews.all()) == {study, later_merger}


@pytest.mark.parametrize("kind", [EventKind.DECISION, EventKind.OPINION, EventKind.JUDGMENT])
def test_a_decision_opinion_or_judgment_cites_the_regulator_or_the_court(kind):
    from django.core.exceptions import ValidationError

    review = ReviewFactory()
    event = Event(
        review=review,
        kind=kind,
        occurred_on=datetime.date(2024, 5, 1),
        title="Decided",
        source_url="https://press.example.org/story",
        source_type="press",
    )
    with pytest.raises(ValidationError) as caught:
        event.full_clean()
    assert "source_type" in caught.value.message_dict
    event.source_type = "court"
    event.full_clean()
