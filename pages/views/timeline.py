"""The timeline picture's context for a template, shared by the deal and proceeding pages."""

from ..timeline_lanes import lanes_for
from ..timeline_svg import narrow_and_wide


def timeline_context(title, reviews, events, stops, periods, today, deal=None) -> dict:
    lanes = lanes_for(reviews, events, stops, periods, today, deal=deal)
    return {"title": title, "lanes": lanes, "pictures": narrow_and_wide(lanes, today)}
