from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from .feeds import EventFeed

admin.site.site_header = "Antitrust case tracker"
admin.site.site_title = "Antitrust case tracker"
admin.site.index_title = "Deals, reviews and timelines"

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
    path("feeds/events/", EventFeed(), name="event-feed"),
    path("api/v1/", include("api.urls")),
    path("notices/", include("tracker.notices.urls")),
    path("digests/", include("tracker.digests.urls")),
]
