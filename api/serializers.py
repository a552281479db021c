"""Input and output serializers of the v1 API.

Read serializers shape responses (nested, denormalised for clients); write serializers
take slugs for relations and validate input. Status is never written here: a review's
status moves only through TransitionSerializer and the transition service.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import F
from rest_framework import serializers
from rest_framework.validators import UniqueTogetherValidator

from regulators.models import Regulator
from tracker.choices import EventKind, PartyRole, ReviewStatus
from tracker.lifecycle import OPEN_STATUSES
from tracker.models import Deal, DealParty, Event, Party, Review

from .rows import DerivedBooleanField, ReadPlan, plan_of, plan_of_class
from .nested import ItemsField

MONEY = {"max_digits": 18, "decimal_places": 2, "min_value": Decimal("0")}


def status_is_open(status: str) -> bool:
    return status in OPEN_STATUSES


# Hot read paths build their dict from a read plan instead of walking DRF fields. The
# plan is compiled once per class from the declared fields (see api.rows), so a field is
# named in one place: its declaration. Lists read rows with `.values(*row_lookups())` and
# skip model instances altogether; an instance is read through the same plan. Tests check
# that `fast_representation` equals DRF's own rendering, field for field.
# (Comments, not a docstring: the schema would show a docstring as each serializer's
# description.)
class FastReadMixin:
    @classmethod
    def read_plan(cls) -> ReadPlan:
        return plan_of_class(cls)

    @classmethod
    def row_lookups(cls) -> tuple[str, ...]:
        """The `.values()` lookups of a list's rows; empty when a row cannot hold the
        representation (a nested list), so the list reads instances instead."""
        plan = cls.read_plan()
        return plan.lookups if plan.reads_rows else ()

    def to_representation(self, instance):
        # A list renders every row with one child serializer: find its plan once.
        try:
            plan = self._read_plan
        except AttributeError:
            plan = self._read_plan = plan_of(self)
        if isinstance(instance, dict):
            return plan.from_row(instance)
        return plan.from_instance(instance)

    def fast_representation(self, instance) -> dict:
        return plan_of(self).from_instance(instance)

    def drf_representation(self, instance):
        return super().to_representation(instance)


def country_code(value: str) -> str:
    if value and (len(value) != 2 or not value.isalpha()):
        raise serializers.ValidationError("Use a two-letter ISO 3166 country code.")
    return value.upper()


# --- regulators and parties -------------------------------------------------------


class RegulatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Regulator
        fields = ["slug", "short_name", "name", "jurisdiction", "website", "calendar"]


class RegulatorRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Regulator
        fields = ["slug", "short_name", "jurisdiction"]


class PartyReadSerializer(serializers.ModelSerializer):
    aliases = serializers.SerializerMethodField()

    class Meta:
        model = Party
        fields = ["slug", "name", "country", "website", "aliases", "created_at", "updated_at"]

    def get_aliases(self, obj) -> list[str]:
        return [alias.strip() for alias in obj.aliases.split(",") if alias.strip()]


class PartyWriteSerializer(serializers.ModelSerializer):
    aliases = serializers.ListField(child=serializers.CharField(max_length=100), required=False)

    class Meta:
        model = Party
        fields = ["slug", "name", "country", "website", "aliases"]

    def validate_aliases(self, value):
        joined = ", ".join(alias.strip() for alias in value if alias.strip())
        if len(joined) > Party._meta.get_field("aliases").max_length:
            raise serializers.ValidationError("Too many aliases.")
        return joined

    def validate_country(self, value):
        return country_code(value)


# --- deals ----------------------------------------------------------------------------


class DealPartySerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="party.slug")
    name = serializers.CharField(source="party.name")

    row_order = ("role", "pk")  # a deal's parties, wherever they are listed

    class Meta:
        model = DealParty
        fields = ["slug", "name", "role"]


class ReviewSummarySerializer(FastReadMixin, serializers.ModelSerializer):
    """A review as listed inside its deal."""

    regulator = RegulatorRefSerializer()
    is_open = DerivedBooleanField(source="status", compute=status_is_open)

    # Undated reviews last, as PostgreSQL orders them, on SQLite too.
    row_order = (F("opened_on").asc(nulls_last=True), "pk")

    class Meta:
        model = Review
        fields = [
            "id", "regulator", "reference", "review_type", "status", "is_open", "stage", "opened_on", "closed_on",
            "outcome", "next_deadline", "deadline_kind", "url",
        ]


class DealListSerializer(FastReadMixin, serializers.ModelSerializer):
    parties = DealPartySerializer(source="deal_parties", many=True)
    total_committed = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)

    class Meta:
        model = Deal
        fields = [
            "slug", "title", "deal_type", "status", "announced_on", "completed_on", "value", "currency",
            "total_committed", "sector", "parties", "updated_at",
        ]


class DealDetailSerializer(DealListSerializer):
    """One deal, with its parties and reviews read as rows: two plain queries instead of
    the prefetch machinery (a detail is never listed)."""

    reviews = ReviewSummarySerializer(many=True)

    class Meta(DealListSerializer.Meta):
        fields = [*DealListSerializer.Meta.fields, "summary", "reviews", "created_at"]


class DealPartyInputSerializer(serializers.Serializer):
    party = serializers.SlugRelatedField(slug_field="slug", queryset=Party.objects.all())
    role = serializers.ChoiceField(choices=PartyRole.choices)


class DealWriteSerializer(serializers.ModelSerializer):
    value = serializers.DecimalField(**MONEY, required=False, allow_null=True)
    parties = ItemsField(DealPartyInputSerializer, required=False)

    class Meta:
        model = Deal
        fields = [
            "slug", "title", "deal_type", "status", "announced_on", "completed_on", "value", "currency", "sector",
            "summary", "parties",
        ]

    def validate_parties(self, value):
        pairs = [(item["party"].pk, item["role"]) for item in value]
        if len(pairs) != len(set(pairs)):
            raise serializers.ValidationError("A party is listed twice with the same role.")
        return value

    def validate(self, attrs):
        announced = attrs.get("announced_on", getattr(self.instance, "announced_on", None))
        completed = attrs.get("completed_on", getattr(self.instance, "completed_on", None))
        if announced and completed and completed < announced:
            raise serializers.ValidationError({"completed_on": "A deal cannot complete before it was announced."})
        return attrs

    def create(self, validated_data):
        parties = validated_data.pop("parties", [])
        with transaction.atomic():
            deal = Deal.objects.create(**validated_data)
            self._set_parties(deal, parties)
        return deal

    def update(self, instance, validated_data):
        parties = validated_data.pop("parties", None)
        with transaction.atomic():
            for name, value in validated_data.items():
                setattr(instance, name, value)
            instance.save()
            if parties is not None:
                instance.deal_parties.all().delete()
                self._set_parties(instance, parties)
        return instance

    @staticmethod
    def _set_parties(deal, parties):
        DealParty.objects.bulk_create(DealParty(deal=deal, party=p["party"], role=p["role"]) for p in parties)


# --- reviews ----------------------------------------------------------------------------


class DealRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Deal
        fields = ["slug", "title"]


class ReviewReadSerializer(FastReadMixin, serializers.ModelSerializer):
    deal = DealRefSerializer()
    regulator = RegulatorRefSerializer()
    is_open = DerivedBooleanField(source="status", compute=status_is_open)

    class Meta:
        model = Review
        fields = [
            "id", "deal", "regulator", "reference", "review_type", "status", "is_open", "status_changed_at", "stage",
            "opened_on", "closed_on", "outcome", "url", "next_deadline", "deadline_kind", "deadline_basis",
            "updated_at",
        ]


class ReviewWriteSerializer(serializers.ModelSerializer):
    deal = serializers.SlugRelatedField(slug_field="slug", queryset=Deal.objects.all())
    regulator = serializers.SlugRelatedField(slug_field="slug", queryset=Regulator.objects.all())
    status = serializers.ChoiceField(
        choices=ReviewStatus.choices,
        required=False,
        help_text="Initial status (an open one), on creation only; afterwards use the transition action.",
    )

    class Meta:
        model = Review
        fields = ["deal", "regulator", "reference", "review_type", "status", "stage", "opened_on", "outcome", "url"]
        validators = [
            UniqueTogetherValidator(
                queryset=Review.objects.all(),
                fields=["deal", "regulator"],
                message="This deal already has a review by this regulator.",
            )
        ]

    def validate_status(self, value):
        if self.instance is not None and value != self.instance.status:
            raise serializers.ValidationError(
                "Status is not edited directly: POST to this review's transition/ action."
            )
        if self.instance is None and value not in OPEN_STATUSES:
            raise serializers.ValidationError("A new review starts in an open status; close it with a transition.")
        return value

    def validate(self, attrs):
        if self.instance is not None:
            for field in ("deal", "regulator"):
                if field in attrs and attrs[field] != getattr(self.instance, field):
                    raise serializers.ValidationError({field: "A review cannot move to another deal or regulator."})
        return attrs


class TransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ReviewStatus.choices)
    occurred_on = serializers.DateField()
    title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    source_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    source_title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    stage = serializers.CharField(max_length=200, required=False)
    outcome = serializers.CharField(max_length=300, required=False, allow_blank=True)


# --- events ----------------------------------------------------------------------------


class EventReadSerializer(FastReadMixin, serializers.ModelSerializer):
    deal = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    regulator = serializers.CharField(
        source="review.regulator.slug", read_only=True, allow_null=True
    )

    class Meta:
        model = Event
        fields = [
            "id", "deal", "review", "regulator", "kind", "occurred_on", "date_precision", "title", "body",
            "source_url", "source_title", "from_status", "to_status", "amount", "currency", "created_at",
        ]


class EventWriteSerializer(serializers.ModelSerializer):
    deal = serializers.SlugRelatedField(slug_field="slug", queryset=Deal.objects.all(), required=False)
    review = serializers.PrimaryKeyRelatedField(queryset=Review.objects.all(), required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=[c for c in EventKind.choices if c[0] != EventKind.STATUS_CHANGE])
    amount = serializers.DecimalField(**MONEY, required=False, allow_null=True)

    class Meta:
        model = Event
        fields = [
            "deal", "review", "kind", "occurred_on", "date_precision", "title", "body", "source_url", "source_title",
            "amount", "currency",
        ]

    def validate(self, attrs):
        if self.instance is not None and self.instance.kind == EventKind.STATUS_CHANGE:
            raise serializers.ValidationError("Status-change events are written by transitions only.")
        review = attrs.get("review", getattr(self.instance, "review", None))
        deal = attrs.get("deal", getattr(self.instance, "deal", None))
        if deal is None and review is None:
            raise serializers.ValidationError({"deal": "Give the deal (slug) or the review (id)."})
        if deal is None:
            attrs["deal"] = review.deal
        elif review is not None and review.deal_id != deal.pk:
            raise serializers.ValidationError({"review": "This review belongs to another deal."})
        kind = attrs.get("kind", getattr(self.instance, "kind", None))
        if attrs.get("amount") is not None and kind != EventKind.INVESTMENT:
            raise serializers.ValidationError({"amount": "Only investment events carry an amount."})
        return attrs

    def create(self, validated_data):
        validated_data["created_by"] = self.context["request"].user
        return super().create(validated_data)
