"""Atom feed of events, with the same filters as the events API."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from tracker.labels import event_status_label, role_phrase
from tracker.links import absolute
from tracker.models import Event, ReviewDeal

from .filtersets import EventFilter

FEED_SIZE = 50


class PlainTextSummaryAtomFeed(Atom1Feed):
    """Atom whose entry summaries are text: what editors typed is shown, never run as
    HTML by a feed reader (Django's Atom feed marks summaries type="html")."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class EventFeed(Feed):
    feed_type = PlainTextSummaryAtomFeed
    title = "Antitrust case tracker: events"
    subtitle = "Status changes, filings, decisions and deadlines of competition reviews, newest recorded first."

    def __call__(self, request, *args, **kwargs):
        unknown = sorted(set(request.GET) - set(EventFilter.base_filters))
        if unknown:
            allowed = ", ".join(sorted(EventFilter.base_filters))
            return HttpResponseBadRequest(
                f"Unknown query parameter(s): {', '.join(unknown)}. Allowed: {allowed}.",
                content_type="text/plain",
            )
        filterset = self.filterset(request)
        if not filterset.is_valid():
            errors = "; ".join(
                f"{field}: {' '.join(msgs)}" for field, msgs in filterset.errors.items()
            )
            return HttpResponseBadRequest(errors, content_type="text/plain")
        return super().__call__(request, *args, **kwargs)

    @staticmethod
    def filterset(request) -> EventFilter:
        return EventFilter(
            # A registry's back-filled past is on the timelines, not news for a feed reader.
            request.GET,
            queryset=Event.objects.filter(recorded_as_history=False).select_related(
                "deal", "review__deal", "review__regulator"
            ),
        )

    def get_object(self, request, *args, **kwargs):
        # The feed instance is shared between requests: per-request state lives here.
        events = list(self.filterset(request).qs.order_by("-created_at", "-id")[:FEED_SIZE])
        whole = {e.review_id for e in events if e.review_id and not e.deal_id}
        roles = dict(
            ReviewDeal.objects.leads_not_reviewed()
            .filter(review_id__in=whole)
            .values_list("review_id", "role")
        )
        for event in events:
            event.lead_role = roles.get(event.review_id, "") if not event.deal_id else ""
        return events

    def link(self):
        # The site's home page, which lists the latest events.
        return absolute(reverse("pages:home"))

    def items(self, events):
        return events

    def item_title(self, item: Event):
        # An event of a review as a whole has no deal of its own: it is listed under the lead
        # deal, or under the proceeding's own title where it does not review that deal.
        title = item.title_without_regulator
        if item.review_id:
            title = f"{item.review.regulator.short_name}: {title}"
        if item.lead_role:
            listed = (
                f"{item.review.name}, which {role_phrase(item.lead_role, item.listed_deal.title)}"
            )
            return f"{listed} - {title}"
        return f"{item.listed_deal.title} - {title}"

    def item_description(self, item: Event):
        parts = [f"{item.get_kind_display()} on {item.occurred_on.isoformat()}."]
        if item.to_status:
            moved = [event_status_label(s, item.review) for s in (item.from_status, item.to_status)]
            parts.append(f"Status: {' → '.join(label for label in moved if label)}.")
        if item.body:
            parts.append(item.body)
        if item.source_url:
            parts.append(f"Source: {item.source_url}")
        return "\n\n".join(parts)

    def item_link(self, item: Event):
        """The page of the event's proceeding, else of its deal."""
        return absolute((item.review or item.deal).get_absolute_url())

    def item_guid(self, item: Event):
        # The entry's identity stays the event's API address, so readers see no new entries.
        return absolute(reverse("event-detail", args=[item.pk]))

    def item_guid_is_permalink(self, item):
        return True

    def item_pubdate(self, item: Event):
        return item.created_at

    def item_updateddate(self, item: Event):
        return item.created_at

    def item_categories(self, item: Event):
        return [item.kind]
