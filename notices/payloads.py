"""What a notice says about its event, shared by the email and the webhook body."""

from __future__ import annotations

from tracker.labels import status_label
from tracker.links import absolute
from tracker.models import Event


def covered_deals(event: Event) -> list[tuple]:
    """The deals an event concerns, each with its proceeding's role on it: the event's own
    deal (no role), or every deal its proceeding is linked to (lead first)."""
    if event.deal_id:
        return [(event.deal, None)]
    links = event.review.deal_links
    if "deal_links" not in getattr(event.review, "_prefetched_objects_cache", {}):
        links = links.select_related("deal")
    # ReviewDeal's order: the lead, linked first, first.
    return [(link.deal, link.role) for link in links.all()]


def event_data(event: Event) -> dict:
    review = event.review
    deals = covered_deals(event)
    deal = event.listed_deal
    data = {
        "event": {
            "id": event.pk,
            "kind": event.kind,
            "title": event.title,
            "body": event.body,
            "occurred_on": event.occurred_on.isoformat(),
            "from_status": event.from_status or None,
            "to_status": event.to_status or None,
            "date_precision": event.date_precision,
            "source_url": event.source_url or None,
            "source_title": event.source_title or None,
            "source_type": event.source_type or None,
        },
        # `deal` is the deal the event is listed under; `deals` every deal it concerns.
        "deal": {
            "id": deal.pk,
            "slug": deal.slug,
            "title": deal.title,
            "link": absolute(deal.get_absolute_url()),
        },
        # `role`: what the proceeding is to each deal (reviews, covers, reaches, related).
        "deals": [
            {"id": d.pk, "slug": d.slug, "title": d.title, "role": role} for d, role in deals
        ],
        "review": None,
        "regulator": None,
    }
    if review is not None:
        regulator = review.regulator
        data["review"] = {
            "id": review.pk,
            "title": review.name,
            "reference": review.reference,
            "status": review.status,
            "status_label": status_label(review.status, review.outcome),
            "stage": review.stage,
            "outcome": review.outcome or None,
            "outcome_wording": review.outcome_wording or None,
            "opened_on": review.opened_on.isoformat() if review.opened_on else None,
            "closed_on": review.closed_on.isoformat() if review.closed_on else None,
            "next_deadline": review.next_deadline.isoformat() if review.next_deadline else None,
            "url": review.url or None,
            # The proceeding's page for readers; its API resource for programs.
            "link": absolute(review.get_absolute_url()),
            "api_url": absolute(review.api_url()),
        }
        data["regulator"] = {
            "id": regulator.pk,
            "slug": regulator.slug,
            "short_name": regulator.short_name,
            "name": regulator.name,
            "jurisdiction": regulator.jurisdiction,
        }
    return data


def event_type(event: Event) -> str:
    return f"event.{event.kind}"
