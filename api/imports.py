"""Import runs, for staff: what each registry import read, wrote, queued and failed on."""

import django_filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets

from imports.choices import RunStatus
from imports.models import ImportRun
from imports.sources import source_choices

from .filtersets import StorableIsoDateTimeFilter


class ImportFailureSerializer(serializers.Serializer):
    item = serializers.CharField(help_text="The registry's id of the item.")
    url = serializers.CharField()
    reason = serializers.CharField()


class ImportRunSerializer(serializers.ModelSerializer):
    failures = ImportFailureSerializer(many=True, read_only=True)

    class Meta:
        model = ImportRun
        fields = [
            "id",
            "source",
            "status",
            "started_at",
            "finished_at",
            "since",
            "fetched",
            "created",
            "updated",
            "unchanged",
            "queued",
            "skipped",
            "failed",
            "failures",
            "error",
        ]
        read_only_fields = fields


class ImportRunFilter(django_filters.FilterSet):
    source = django_filters.ChoiceFilter(choices=source_choices)
    status = django_filters.ChoiceFilter(choices=RunStatus.choices)
    started_after = StorableIsoDateTimeFilter(field_name="started_at", lookup_expr="gte")

    class Meta:
        model = ImportRun
        fields = ["source", "status", "started_after"]


# A signed-in reader who is not staff is refused.
STAFF_ONLY = OpenApiResponse(description="Staff only.")


@extend_schema_view(
    list=extend_schema(responses={200: ImportRunSerializer(many=True), 403: STAFF_ONLY}),
    retrieve=extend_schema(responses={200: ImportRunSerializer, 403: STAFF_ONLY}),
)
class ImportRunViewSet(viewsets.ReadOnlyModelViewSet):
    """Registry import runs, newest first; staff only."""

    queryset = ImportRun.objects.order_by("-started_at", "-id")
    serializer_class = ImportRunSerializer
    filterset_class = ImportRunFilter
    permission_classes = [permissions.IsAdminUser]
