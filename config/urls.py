from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

admin.site.site_header = "Antitrust case tracker"
admin.site.site_title = "Antitrust case tracker"
admin.site.index_title = "Deals, reviews and timelines"

urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page links; resolved per request (hashed names in production).
    path("favicon.ico", lambda request: redirect(static("tracker/favicon.svg"))),
    path("admin/", admin.site.urls),
    path("feeds/", include("api.feed_urls")),
    path("api/v1/", include("api.urls")),
    path("notices/", include("notices.urls")),
    path("digests/", include("digests.urls")),
    # The public pages: home at /, then deals, proceedings, regulators, parties, deadlines, search.
    path("", include("pages.urls")),
]
