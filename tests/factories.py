import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from notices.models import Subscription, WebhookEndpoint
from regulators.choices import Calendar
from regulators.models import Regulator
from tracker.choices import DealType, EventKind, PartyRole, ReviewStatus, ReviewType
from tracker.lifecycle import CLOSED_STATUSES
from tracker.models import Deal, DealParty, Event, Party, Review

# A status change cites the regulator's page (the transition service refuses one without).
SOURCE_URL = "https://www.gov.uk/cma-cases/example-merger-inquiry"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("pw-secret-123")


class RegulatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Regulator
        django_get_or_create = ["slug"]

    short_name = factory.Sequence(lambda n: f"REG{n}")
    name = factory.LazyAttribute(lambda r: f"Regulator {r.short_name}")
    slug = factory.LazyAttribute(lambda r: r.short_name.lower())
    jurisdiction = "GB"
    calendar = Calendar.ENGLAND_WALES


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.Sequence(lambda n: f"company-{n}")
    country = "US"


class DealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deal

    title = factory.Sequence(lambda n: f"Acquirer {n} / Target {n}")
    slug = factory.Sequence(lambda n: f"deal-{n}")
    deal_type = DealType.ACQUISITION
    announced_on = datetime.date(2024, 1, 15)
    value = Decimal("1000000000")


class DealPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DealParty

    deal = factory.SubFactory(DealFactory)
    party = factory.SubFactory(PartyFactory)
    role = PartyRole.ACQUIRER


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    deal = factory.SubFactory(DealFactory)
    regulator = factory.SubFactory(RegulatorFactory)
    review_type = ReviewType.MERGER_CONTROL
    status = ReviewStatus.PHASE_1
    opened_on = datetime.date(2024, 3, 1)
    closed_on = factory.LazyAttribute(
        lambda r: datetime.date(2024, 6, 1) if r.status in CLOSED_STATUSES else None
    )


def review_due_in(days: int, **fields) -> Review:
    """An open proceeding in phase 1, opened twenty days ago, its deadline `days` from today."""
    from django.utils import timezone

    today = timezone.localdate()
    return ReviewFactory(
        status=ReviewStatus.PHASE_1,
        opened_on=today - datetime.timedelta(days=20),
        next_deadline=today + datetime.timedelta(days=days),
        **fields,
    )


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    review = factory.SubFactory(ReviewFactory)
    deal = factory.LazyAttribute(lambda e: e.review.deal if e.review else DealFactory())
    kind = EventKind.NEWS
    occurred_on = datetime.date(2024, 4, 1)
    title = factory.Sequence(lambda n: f"Event {n}")
    source_url = "https://example.org/source"


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    user = factory.SubFactory(UserFactory)


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookEndpoint

    user = factory.SubFactory(UserFactory)
    url = "https://hooks.example.org/tracker"
