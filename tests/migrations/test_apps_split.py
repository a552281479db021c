"""Upgrading a database from before notices and digests had apps of their own keeps every
table and row: it starts from that schema, fills it as a running site would be, and
migrates to the latest state."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from digests.models import CalendarFeed, Digest
from notices.models import Delivery, DeliveryAttempt, Subscription, WebhookEndpoint
from tracker.editors import EDITORS_GROUP
from tracker.models import Deal, Event, Review

LAST_BEFORE_SPLIT = ("tracker", "0005_review_regulator_opened_idx")
BEFORE_SPLIT = [LAST_BEFORE_SPLIT, ("notices", None), ("digests", None)]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state([LAST_BEFORE_SPLIT]).apps


def latest_targets():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def database_before_split(transactional_db):
    old_apps = migrate(BEFORE_SPLIT)
    yield old_apps
    migrate(latest_targets())  # leave the schema as every other test expects it


def fill_moved_tables(old_apps):
    """What a running site holds in the tables that move: written through the models as
    they were before the split (the tracker app's)."""
    User = old_apps.get_model("auth", "User")
    OldDeal = old_apps.get_model("tracker", "Deal")
    OldEvent = old_apps.get_model("tracker", "Event")
    OldSubscription = old_apps.get_model("tracker", "Subscription")
    OldEndpoint = old_apps.get_model("tracker", "WebhookEndpoint")
    OldDelivery = old_apps.get_model("tracker", "Delivery")
    OldAttempt = old_apps.get_model("tracker", "DeliveryAttempt")
    OldDigest = old_apps.get_model("tracker", "Digest")
    OldFeed = old_apps.get_model("tracker", "CalendarFeed")

    ana = User.objects.create(username="ana", email="ana@example.org")
    ben = User.objects.create(username="ben", email="ben@example.org")
    deal = OldDeal.objects.get(slug="amazon-anthropic")
    event = OldEvent.objects.filter(deal=deal, review__isnull=False).order_by("pk").first()
    follows_deal = OldSubscription.objects.create(
        user=ana, deal=deal, by_webhook=True, event_kinds=["decision"]
    )
    OldSubscription.objects.create(user=ben, regulator=event.review.regulator, frequency="daily")
    OldSubscription.objects.create(user=ben)
    endpoint = OldEndpoint.objects.create(
        user=ana, url="https://hooks.example.org/in", secret="whsec_c2VjcmV0"
    )
    now = timezone.now()
    OldDelivery.objects.create(
        user=ana,
        event=event,
        subscription=follows_deal,
        channel="email",
        state="delivered",
        attempts=1,
    )
    failed = OldDelivery.objects.create(
        user=ana,
        event=event,
        subscription=follows_deal,
        channel="webhook",
        endpoint=endpoint,
        state="failed",
        attempts=2,
        last_error="timed out",
    )
    for number in (1, 2):
        OldAttempt.objects.create(
            delivery=failed,
            number=number,
            started_at=now,
            duration_ms=5000,
            succeeded=False,
            error="timed out",
        )
    OldDigest.objects.create(
        user=ben,
        frequency="daily",
        period_start=datetime.date(2026, 11, 30),
        covered_until=now,
        state="sent",
        event_count=3,
    )
    OldFeed.objects.create(user=ben, token="feed-token-of-ben")
    return event.pk


def fill_core(old_apps):
    """A deal, two regulators' reviews of it and their events, as the old models wrote them."""
    Regulator = old_apps.get_model("regulators", "Regulator")
    Deal = old_apps.get_model("tracker", "Deal")
    Review = old_apps.get_model("tracker", "Review")
    Event = old_apps.get_model("tracker", "Event")
    deal = Deal.objects.create(
        title="Amazon / Anthropic", slug="amazon-anthropic", deal_type="minority_investment"
    )
    for slug, short in (("cma", "CMA"), ("ftc", "FTC")):
        regulator = Regulator.objects.create(
            name=f"{short} authority", short_name=short, slug=slug, jurisdiction="GB"
        )
        review = Review.objects.create(
            deal=deal, regulator=regulator, status="phase_1", opened_on="2024-08-08"
        )
        for day in (8, 9):
            Event.objects.create(
                deal=deal,
                review=review,
                kind="decision",
                occurred_on=f"2024-08-0{day}",
                title=f"{short} {day}",
                source_url="https://www.gov.uk/cma-cases/x",
            )
    Event.objects.create(
        deal=deal, kind="investment", occurred_on="2023-09-01", title="Tranche", amount=1
    )


def test_upgrade_keeps_every_row_of_the_moved_tables(database_before_split, django_user_model):
    fill_core(database_before_split)
    event_id = fill_moved_tables(database_before_split)
    core_counts = (Deal.objects.count(), Review.objects.count(), Event.objects.count())

    migrate(latest_targets())

    assert (Deal.objects.count(), Review.objects.count(), Event.objects.count()) == core_counts
    assert core_counts[0] > 0 and core_counts[2] > 0
    assert Subscription.objects.count() == 3
    follows_deal = Subscription.objects.get(user__username="ana")
    assert (follows_deal.deal.slug, follows_deal.event_kinds, follows_deal.by_webhook) == (
        "amazon-anthropic",
        ["decision"],
        True,
    )
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.url, endpoint.secret) == ("https://hooks.example.org/in", "whsec_c2VjcmV0")
    assert Delivery.objects.filter(event_id=event_id).count() == 2
    failed = Delivery.objects.get(state="failed")
    assert (failed.endpoint, failed.subscription, failed.last_error) == (
        endpoint,
        follows_deal,
        "timed out",
    )
    assert list(
        DeliveryAttempt.objects.filter(delivery=failed).values_list("number", flat=True)
    ) == [1, 2]
    assert Digest.objects.get().event_count == 3
    assert CalendarFeed.objects.get().token == "feed-token-of-ben"
    # New rows go on where the old ones stopped.
    Subscription.objects.create(
        user=django_user_model.objects.get(username="ana"),
        regulator=follows_deal.deal.reviews.first().regulator,
    )
    assert Subscription.objects.count() == 4

    tables = set(connection.introspection.table_names())
    assert {
        "notices_subscription",
        "notices_delivery",
        "digests_digest",
        "digests_calendarfeed",
    } <= tables
    assert not {"tracker_subscription", "tracker_delivery", "tracker_digest"} & tables
    # The content types moved with the models, so their permissions did too.
    assert not ContentType.objects.filter(
        app_label="tracker", model__in=["subscription", "digest"]
    ).exists()
    assert ContentType.objects.filter(app_label="notices", model="delivery").exists()


def test_editors_keep_the_domain_and_cannot_read_readers_notices(db):
    editors = Group.objects.get(name=EDITORS_GROUP)
    codenames = set(editors.permissions.values_list("content_type__app_label", "codename"))
    assert ("tracker", "change_review") in codenames and (
        "regulators",
        "add_regulator",
    ) in codenames
    # Readers' subscriptions, webhook URLs, deliveries and digests are superusers' only.
    assert not {c for c in codenames if c[0] in {"notices", "digests"}}
