from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from .auth import ObtainTokenView
from .calendars import CalendarFeedView, deadlines_ics, followed_deadlines_ics
from .exceptions import not_found
from .imports import ImportRunViewSet
from .notices.views import DeliveryViewSet, SubscriptionViewSet, WebhookEndpointViewSet
from .reports import DeadlineViewSet, ReviewDurationsView
from .views import (
    CourtViewSet,
    DealViewSet,
    EventViewSet,
    PartyViewSet,
    RegulatorViewSet,
    ReviewViewSet,
)

router = DefaultRouter()
router.register("regulators", RegulatorViewSet, basename="regulator")
router.register("courts", CourtViewSet, basename="court")
router.register("parties", PartyViewSet, basename="party")
router.register("deals", DealViewSet, basename="deal")
router.register("reviews", ReviewViewSet, basename="review")
router.register("events", EventViewSet, basename="event")
router.register("deadlines", DeadlineViewSet, basename="deadline")
router.register("subscriptions", SubscriptionViewSet, basename="subscription")
router.register("webhooks", WebhookEndpointViewSet, basename="webhook")
router.register("deliveries", DeliveryViewSet, basename="delivery")
router.register("import-runs", ImportRunViewSet, basename="import-run")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("stats/review-durations/", ReviewDurationsView.as_view(), name="stats-review-durations"),
    # Before the router, whose format-suffix route would read ".ics" as a renderer.
    path("deadlines.ics", deadlines_ics, name="deadlines-ics"),
    path(
        "deadlines/following/<str:token>.ics",
        followed_deadlines_ics,
        name="deadlines-following-ics",
    ),
    path("calendar-feed/", CalendarFeedView.as_view(), name="calendar-feed"),
    *router.urls,
    re_path(r"^.*$", not_found),  # unknown /api/ paths answer in the API's error shape
]
