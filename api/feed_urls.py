"""The Atom feeds, served beside the versioned API at /feeds/."""

from django.urls import path

from .feeds import EventFeed

urlpatterns = [
    path("events/", EventFeed(), name="event-feed"),
]
