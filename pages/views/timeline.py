"""What the deal and proceeding pages share: the timeline picture and the timeline listed
a page at a time."""

from .. import selectors
from ..timeline_lanes import lanes_for
from ..timeline_svg import narrow_and_wide


def timeline_context(request, title: str, reviews, page, today, deal=None) -> dict:
    """`page` holds the loaded timeline: events, clock stops and deadline periods."""
    lanes = lanes_for(reviews, page.events, page.stops, page.periods, today, deal=deal)
    return {
        "timeline": {"title": title, "lanes": lanes, "pictures": narrow_and_wide(lanes, today)},
        "events": selectors.events_page(page.events, request.GET.get("page")),
    }
