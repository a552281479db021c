"""What goes into each digest, built for a whole batch of users in a handful of queries.

Events are chosen by when they were recorded (`created_at`), not by their date, so an
event recorded late still reaches the next digest; a registry's past back-filled on first
import (`recorded_as_history`) is not news and stays out.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Max, Q

from notices.models import Subscription
from regulators.models import Regulator
from tracker.choices import DealRole
from tracker.lifecycle import OPEN_STATUSES
from tracker.models import Deal, Event, Review, ReviewDeal

from .models import Digest, DigestState
from .periods import PERIOD_LENGTH, working_day_horizon


@dataclass
class DigestContent:
    user_id: int
    since: datetime.datetime
    until: datetime.datetime
    events: list[Event] = field(default_factory=list)
    # Events of proceedings that cover, reach or relate to a followed deal without
    # reviewing it, each with that role and the deal: listed apart.
    beside: list[tuple[Event, str, Deal]] = field(default_factory=list)
    deadlines: list[Review] = field(default_factory=list)
    subscriptions: list[Subscription] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        # Deadlines ride along with news; on their own they are not news.
        return not self.events and not self.beside


class FollowIndex:
    """Objects grouped by what a subscription can name, for lookups instead of scans."""

    def __init__(self, items, review_id, deal_ids, regulator_id):
        self.all = list(items)
        self.by_review, self.by_deal, self.by_regulator = (
            defaultdict(list),
            defaultdict(list),
            defaultdict(list),
        )
        for item in self.all:
            if review_id(item):
                self.by_review[review_id(item)].append(item)
            for deal_id in deal_ids(item):
                self.by_deal[deal_id].append(item)
            if regulator_id(item):
                self.by_regulator[regulator_id(item)].append(item)

    def followed_by(self, sub: Subscription) -> list:
        if sub.review_id:
            return self.by_review.get(sub.review_id, [])
        if sub.deal_id:
            return self.by_deal.get(sub.deal_id, [])
        if sub.regulator_id:
            return self.by_regulator.get(sub.regulator_id, [])
        return self.all


def followed_ids(subscriptions) -> tuple[set, set, set] | None:
    """(deal ids, review ids, regulator ids) these subscriptions name; None when one of
    them follows everything."""
    deals, reviews, regulators = set(), set(), set()
    for sub in subscriptions:
        if sub.review_id:
            reviews.add(sub.review_id)
        elif sub.deal_id:
            deals.add(sub.deal_id)
        elif sub.regulator_id:
            regulators.add(sub.regulator_id)
        else:
            return None
    return deals, reviews, regulators


def previous_cutoffs(
    user_ids, frequency: str, period: datetime.date
) -> dict[int, datetime.datetime]:
    """Where each user's last digest that went out (or found nothing) ended."""
    rows = (
        Digest.objects.filter(
            user_id__in=user_ids,
            frequency=frequency,
            period_start__lt=period,
            state__in=[DigestState.SENT, DigestState.EMPTY],
        )
        .values("user_id")
        .annotate(until=Max("covered_until"))
    )
    return {row["user_id"]: row["until"] for row in rows}


def build_contents(
    digests: list[Digest], frequency: str, today: datetime.date
) -> dict[int, DigestContent]:
    """Digest content per user for these (claimed) digest rows of one period."""
    if not digests:
        return {}
    user_ids = [d.user_id for d in digests]
    period = digests[0].period_start
    cutoffs = previous_cutoffs(user_ids, frequency, period)
    contents = {
        d.user_id: DigestContent(
            d.user_id,
            cutoffs.get(d.user_id, d.covered_until - PERIOD_LENGTH[frequency]),
            d.covered_until,
        )
        for d in digests
    }
    # What the subscriptions follow is shared by many of them: one object per row, not per
    # subscription.
    subscriptions = list(
        Subscription.objects.filter(
            user_id__in=user_ids, frequency=frequency, by_email=True
        ).prefetch_related("deal", "regulator", "review__deal", "review__regulator")
    )
    for sub in subscriptions:
        contents[sub.user_id].subscriptions.append(sub)

    earliest = min(c.since for c in contents.values())
    latest = max(c.until for c in contents.values())
    events = Event.objects.filter(
        created_at__gt=earliest, created_at__lte=latest, recorded_as_history=False
    ).select_related("deal", "review__regulator", "review__deal")
    followed = followed_ids(subscriptions)
    if followed is not None:
        deals, reviews, regulators = followed
        events = events.filter(
            Q(deal_id__in=deals)
            | Q(
                deal__isnull=True,
                review_id__in=ReviewDeal.objects.filter(deal_id__in=deals).values("review_id"),
            )
            | Q(review_id__in=reviews)
            | Q(review__regulator_id__in=regulators)
        )
    events = list(events.order_by("occurred_on", "created_at", "id"))
    deadlines = upcoming_deadlines(today, subscriptions)
    roles = deal_roles({e.review_id for e in events if e.review_id} | {r.pk for r in deadlines})
    covered = {review_id: list(by_deal) for review_id, by_deal in roles.items()}
    event_index = FollowIndex(
        events,
        review_id=lambda e: e.review_id,
        # A proceeding's own event concerns every deal it covers.
        deal_ids=lambda e: [e.deal_id] if e.deal_id else covered.get(e.review_id, []),
        regulator_id=lambda e: e.review.regulator_id if e.review_id else None,
    )

    deadline_index = FollowIndex(
        deadlines,
        review_id=lambda r: r.pk,
        deal_ids=lambda r: covered.get(r.pk, []),
        regulator_id=lambda r: r.regulator_id,
    )

    for content in contents.values():
        seen_events, seen_beside, seen_reviews = {}, {}, {}
        for sub in content.subscriptions:
            kinds = set(sub.effective_event_kinds)
            for event in event_index.followed_by(sub):
                if event.kinds & kinds and content.since < event.created_at <= content.until:
                    role = _role_for(event, sub, roles)
                    if role == DealRole.REVIEWS:
                        seen_events[event.pk] = event
                    else:
                        seen_beside.setdefault(event.pk, (event, role, sub.deal))
            for review in deadline_index.followed_by(sub):
                seen_reviews[review.pk] = review
        content.events = sorted(
            seen_events.values(), key=lambda e: (e.occurred_on, e.created_at, e.pk)
        )
        content.beside = sorted(
            (item for pk, item in seen_beside.items() if pk not in seen_events),
            key=lambda item: (item[0].occurred_on, item[0].created_at, item[0].pk),
        )
        content.deadlines = sorted(seen_reviews.values(), key=lambda r: (r.next_deadline, r.pk))
    return contents


def deal_roles(review_ids) -> dict[int, dict[int, str]]:
    """Each proceeding's deals, with its role on each: {review id: {deal id: role}}."""
    roles: dict[int, dict[int, str]] = defaultdict(dict)
    for review_id, deal_id, role in ReviewDeal.objects.filter(review_id__in=review_ids).values_list(
        "review_id", "deal_id", "role"
    ):
        roles[review_id][deal_id] = role
    return roles


def _role_for(event: Event, sub: Subscription, roles: dict[int, dict[int, str]]) -> str:
    """What the event's proceeding is to the deal `sub` follows; a review for an event of
    the deal itself and for a subscription to a proceeding, a regulator or everything."""
    if not sub.deal_id or event.deal_id or not event.review_id:
        return DealRole.REVIEWS
    return roles.get(event.review_id, {}).get(sub.deal_id, DealRole.REVIEWS)


def upcoming_deadlines(today: datetime.date, subscriptions) -> list[Review]:
    """Open reviews these subscriptions follow whose deadline falls within the next
    DIGEST_DEADLINE_WORKING_DAYS working days on their regulator's calendar."""
    days = settings.DIGEST_DEADLINE_WORKING_DAYS
    horizons = {
        regulator_id: working_day_horizon(code, today, days)
        for regulator_id, code in Regulator.objects.values_list("id", "calendar")
    }
    if not horizons or not subscriptions:
        return []
    reviews = Review.objects.filter(
        status__in=OPEN_STATUSES,
        next_deadline__gte=today,
        next_deadline__lte=max(horizons.values()),
    ).select_related("deal", "regulator")
    followed = followed_ids(subscriptions)
    if followed is not None:
        deals, review_ids, regulators = followed
        reviews = reviews.filter(
            Q(pk__in=ReviewDeal.objects.filter(deal_id__in=deals).values("review_id"))
            | Q(pk__in=review_ids)
            | Q(regulator_id__in=regulators)
        )
    return [r for r in reviews if r.next_deadline <= horizons[r.regulator_id]]
