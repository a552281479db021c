"""The user's own notices: subscriptions, webhook endpoints and the delivery log.

Every queryset is the requesting user's rows only, so another user's row is a 404.
"""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from notices.dispatch import ping
from notices.models import Delivery, DeliveryAttempt, Subscription, WebhookEndpoint

from .filters import DeliveryFilter, SubscriptionFilter
from .serializers import (
    DeliverySerializer,
    SubscriptionSerializer,
    WebhookEndpointCreatedSerializer,
    WebhookEndpointSerializer,
)


class OwnRowsMixin:
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return super().get_queryset().filter(user=self.request.user)

    def perform_create(self, serializer):
        serializer.save(user=self.request.user)


class SubscriptionViewSet(OwnRowsMixin, viewsets.ModelViewSet):
    queryset = Subscription.objects.select_related(
        "deal", "regulator", "review__deal", "review__regulator"
    )
    serializer_class = SubscriptionSerializer
    filterset_class = SubscriptionFilter


class WebhookEndpointViewSet(OwnRowsMixin, viewsets.ModelViewSet):
    queryset = WebhookEndpoint.objects.all()
    serializer_class = WebhookEndpointSerializer

    def get_serializer_class(self):
        return (
            WebhookEndpointCreatedSerializer
            if self.action == "create"
            else WebhookEndpointSerializer
        )

    @extend_schema(request=None, responses={202: DeliverySerializer})
    @action(detail=True, methods=["post"])
    def ping(self, request, pk=None):
        """Send a signed test delivery to this endpoint; its outcome shows in the delivery log."""
        delivery = ping(self.get_object())
        delivery.refresh_from_db()
        return Response(
            DeliverySerializer(delivery, context=self.get_serializer_context()).data,
            status=status.HTTP_202_ACCEPTED,
        )


class DeliveryViewSet(
    OwnRowsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = Delivery.objects.prefetch_related(
        Prefetch("attempt_log", queryset=DeliveryAttempt.objects.order_by("number"))
    )
    serializer_class = DeliverySerializer
    filterset_class = DeliveryFilter
    lookup_field = "uuid"
    lookup_url_kwarg = "id"
