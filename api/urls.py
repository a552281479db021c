from rest_framework.routers import DefaultRouter

from .notices.views import DeliveryViewSet, SubscriptionViewSet, WebhookEndpointViewSet

router = DefaultRouter()
router.register("subscriptions", SubscriptionViewSet, basename="subscription")
router.register("webhooks", WebhookEndpointViewSet, basename="webhook")
router.register("deliveries", DeliveryViewSet, basename="delivery")

urlpatterns = router.urls
