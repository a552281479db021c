"""Upgrading a database filled on the schema before proceedings (one review per deal and
regulator, outcome as free text) keeps every row and maps it: reviews that shared a
reference become one proceeding covering every deal, and outcomes are filled where the
status or the regulator's words say them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from notices.models import Delivery, Subscription
from tracker.models import ClockStop, Deal, Event, Review

BEFORE = [
    ("tracker", "0006_notices_and_digests_to_their_apps"),
    ("notices", "0002_own_tables"),
    ("digests", "0002_own_tables"),
    ("regulators", "0001_initial"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(BEFORE).apps


@pytest.fixture
def old_apps(transactional_db):
    apps = migrate(BEFORE)
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def fill(apps):
    User = apps.get_model("auth", "User")
    Regulator = apps.get_model("regulators", "Regulator")
    Deal = apps.get_model("tracker", "Deal")
    Review = apps.get_model("tracker", "Review")
    Event = apps.get_model("tracker", "Event")
    ClockStop = apps.get_model("tracker", "ClockStop")
    Subscription = apps.get_model("notices", "Subscription")
    Delivery = apps.get_model("notices", "Delivery")

    ftc = Regulator.objects.create(
        name="Federal Trade Commission", short_name="FTC", slug="ftc", jurisdiction="US"
    )
    cma = Regulator.objects.create(
        name="Competition and Markets Authority", short_name="CMA", slug="cma", jurisdiction="GB"
    )
    deals = [
        Deal.objects.create(title=title, slug=slug, deal_type="minority_investment")
        for slug, title in (
            ("microsoft-openai", "Microsoft / OpenAI"),
            ("amazon-anthropic", "Amazon / Anthropic"),
            ("alphabet-anthropic", "Alphabet / Anthropic"),
        )
    ]
    study = []
    for deal in deals:
        review = Review.objects.create(
            deal=deal,
            regulator=ftc,
            reference="6(b) AI Partnerships",
            review_type="market_study",
            status="closed",
            opened_on="2024-01-25",
            closed_on="2025-01-17",
            outcome="Staff report published",
        )
        study.append(review)
        Event.objects.create(
            deal=deal,
            review=review,
            kind="filing",
            occurred_on="2024-01-25",
            title=f"6(b) order to {deal.title}",
            source_url="https://www.ftc.gov/x",
        )
    ClockStop.objects.create(
        review=study[2], phase="phase_1", stopped_on="2024-03-01", reason="Information"
    )
    Review.objects.create(
        deal=deals[1],
        regulator=cma,
        status="closed",
        opened_on="2024-08-08",
        closed_on="2024-09-27",
        outcome="Found not to qualify",
    )
    Review.objects.create(
        deal=deals[0],
        regulator=cma,
        status="cleared",
        opened_on="2024-08-08",
        closed_on="2024-09-27",
        outcome="No SLC",
    )
    Review.objects.create(deal=deals[2], regulator=cma, status="phase_1", opened_on="2024-08-08")

    ana = User.objects.create(username="ana", email="ana@example.org")
    ben = User.objects.create(username="ben", email="ben@example.org")
    # Ana followed two copies of the study; Ben one.
    first = Subscription.objects.create(user=ana, review=study[0])
    second = Subscription.objects.create(user=ana, review=study[1])
    Subscription.objects.create(user=ben, review=study[2])
    event = Event.objects.filter(review=study[1]).get()
    Delivery.objects.create(
        user=ana, event=event, subscription=second, channel="email", state="delivered"
    )
    return {"kept_subscription": first.pk}


def timelines():
    return {
        deal.slug: sorted(Event.objects.on_timeline_of(deal).values_list("title", flat=True))
        for deal in Deal.objects.all()
    }


def test_shared_reference_reviews_become_one_proceeding_and_nothing_is_lost(old_apps):
    ids = fill(old_apps)
    events_before = old_apps.get_model("tracker", "Event").objects.count()

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    study = Review.objects.get(regulator__slug="ftc")
    assert study.reference == "6(b) AI Partnerships"
    assert study.deal.slug == "microsoft-openai"  # the oldest copy leads
    assert set(study.deals.values_list("slug", flat=True)) == {
        "microsoft-openai",
        "amazon-anthropic",
        "alphabet-anthropic",
    }
    assert Event.objects.count() == events_before
    assert Event.objects.filter(review=study).count() == 3
    # Each deal's timeline shows what it showed before: its own order, not the others'.
    assert timelines() == {
        "microsoft-openai": ["6(b) order to Microsoft / OpenAI"],
        "amazon-anthropic": ["6(b) order to Amazon / Anthropic"],
        "alphabet-anthropic": ["6(b) order to Alphabet / Anthropic"],
    }
    assert ClockStop.objects.get().review == study
    # Ana keeps one subscription, with the delivery made under the other; Ben's follows too.
    assert Subscription.objects.filter(user__username="ana").get().pk == ids["kept_subscription"]
    assert Delivery.objects.get().subscription_id == ids["kept_subscription"]
    assert Subscription.objects.get(user__username="ben").review == study

    assert (study.outcome, study.outcome_wording) == ("study_concluded", "Staff report published")
    outcomes = dict(
        Review.objects.filter(regulator__slug="cma").values_list("deal__slug", "outcome")
    )
    assert outcomes == {
        "amazon-anthropic": "not_qualifying",
        "microsoft-openai": "cleared",
        "alphabet-anthropic": "",
    }
    assert (
        Review.objects.get(regulator__slug="cma", deal__slug="microsoft-openai").outcome_wording
        == "No SLC"
    )
    # Every review covers its own deal.
    assert all(r.deals.filter(pk=r.deal_id).exists() for r in Review.objects.all())
