import django_filters

from notices.choices import Channel, DeliveryKind, DeliveryState, Frequency
from notices.models import Delivery, Subscription

from ..filtersets import StorableIsoDateTimeFilter, id_filter


class SubscriptionFilter(django_filters.FilterSet):
    deal = django_filters.CharFilter(field_name="deal__slug")
    regulator = django_filters.CharFilter(field_name="regulator__slug")
    review = id_filter("review_id", "Review id.")
    frequency = django_filters.ChoiceFilter(choices=Frequency.choices)

    class Meta:
        model = Subscription
        fields = ["deal", "regulator", "review", "frequency"]


class DeliveryFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=DeliveryState.choices)
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    kind = django_filters.ChoiceFilter(choices=DeliveryKind.choices)
    endpoint = id_filter("endpoint_id", "Webhook endpoint id.")
    event = id_filter("event_id", "Event id.")
    created_after = StorableIsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = StorableIsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Delivery
        fields = ["state", "channel", "kind", "endpoint", "event"]
