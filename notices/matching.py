"""Which subscriptions an event reaches, one per user and channel."""

from __future__ import annotations

from django.db.models import Q

from tracker.models import Event, ReviewDeal

from .choices import Frequency
from .models import Subscription


def subscriptions_for(event: Event, frequency: str = Frequency.IMMEDIATE):
    """Subscriptions of active users, at `frequency`, that follow the event's deal,
    review, regulator, or everything, and want its kind (a status change that decides the
    proceeding reaches those who follow decisions too)."""
    everything = Q(deal__isnull=True, regulator__isnull=True, review__isnull=True)
    if event.deal_id:
        scope = everything | Q(deal_id=event.deal_id)
    else:
        # The proceeding's own event concerns every deal it covers; a user who follows
        # several of them still gets one notice (pick_per_user_and_channel).
        scope = everything | Q(
            deal_id__in=ReviewDeal.objects.filter(review_id=event.review_id).values("deal_id")
        )
    if event.review_id:
        scope |= Q(review_id=event.review_id) | Q(regulator_id=event.review.regulator_id)
    candidates = (
        Subscription.objects.filter(scope, frequency=frequency, user__is_active=True)
        .select_related("user")
        .order_by("user_id", "id")
    )
    kinds = event.kinds
    return [sub for sub in candidates if kinds & set(sub.effective_event_kinds)]


def pick_per_user_and_channel(subscriptions) -> dict[tuple[int, str], Subscription]:
    """One subscription per (user, channel): the narrowest, so a user who follows both a
    deal and its regulator gets one notice, attributed to the deal."""
    chosen: dict[tuple[int, str], Subscription] = {}
    for sub in subscriptions:
        for channel, wanted in (("email", sub.by_email), ("webhook", sub.by_webhook)):
            if not wanted:
                continue
            key = (sub.user_id, channel)
            if key not in chosen or sub.specificity > chosen[key].specificity:
                chosen[key] = sub
    return chosen
