"""Input and output serializers of the v1 API.

Read serializers shape responses (nested, denormalised for clients); write serializers
take slugs for relations and validate input. Status is never written here: a review's
status moves only through TransitionSerializer and the transition service.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from rest_framework import serializers
from rest_framework.validators import UniqueTogetherValidator

from regulators.models import Regulator
from tracker.choices import EventKind, PartyRole, ReviewStatus
from tracker.lifecycle import OPEN_STATUSES
from tracker.models import Deal, DealParty, Event, Party, Review

from .nested import ItemsField

MONEY = {"max_digits": 18, "decimal_places": 2, "min_value": Decimal("0")}


def iso_date(value):
    return value.isoformat() if value is not None else None


def iso_datetime(value):
    """As DRF's DateTimeField renders it: ISO 8601, UTC written as Z."""
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def money(value):
    return f"{value:.2f}" if value is not None else None


class FastReadMixin:
    """Hot read paths build their dict directly instead of walking DRF fields.

    The declared fields stay (they document the schema and serve writes); tests check
    that `fast_representation` equals DRF's own rendering field for field. A serializer
    that names its `row_fields` (the lookups its representation reads) builds it with
    `from_row` from a plain row, so lists read them with `.values()` and skip model
    instances altogether; an instance is read into the same row first.
    """

    row_fields: tuple[str, ...] = ()

    def to_representation(self, instance):
        if isinstance(instance, dict):
            return self.from_row(instance)
        return self.fast_representation(instance)

    def fast_representation(self, instance) -> dict:
        return self.from_row(row_of(instance, self.row_fields))

    def from_row(self, row: dict) -> dict:
        raise NotImplementedError

    def drf_representation(self, instance):
        return super().to_representation(instance)


def row_of(instance, lookups) -> dict:
    """The row `.values(*lookups)` would give for `instance`, read from its attributes
    (and the relations already loaded on it)."""
    row = {}
    for lookup in lookups:
        value = instance
        for name in lookup.split("__"):
            value = getattr(value, name)
            if value is None:
                break
        row[lookup] = value
    return row


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

    class Meta:
        model = DealParty
        fields = ["slug", "name", "role"]


class ReviewSummarySerializer(FastReadMixin, serializers.ModelSerializer):
    """A review as listed inside its deal."""

    regulator = RegulatorRefSerializer()
    is_open = serializers.BooleanField()

    class Meta:
        model = Review
        fields = [
            "id", "regulator", "reference", "review_type", "status", "is_open", "stage", "opened_on", "closed_on",
            "outcome", "next_deadline", "deadline_kind", "url",
        ]

    row_fields = (
        "id", "regulator__slug", "regulator__short_name", "regulator__jurisdiction", "reference", "review_type",
        "status", "stage", "opened_on", "closed_on", "outcome", "next_deadline", "deadline_kind", "url",
    )

    def from_row(self, r: dict) -> dict:
        return {
            "id": r["id"],
            "regulator": {"slug": r["regulator__slug"], "short_name": r["regulator__short_name"],
                          "jurisdiction": r["regulator__jurisdiction"]},
            "reference": r["reference"], "review_type": r["review_type"], "status": r["status"],
            "is_open": r["status"] in OPEN_STATUSES, "stage": r["stage"], "opened_on": iso_date(r["opened_on"]),
            "closed_on": iso_date(r["closed_on"]), "outcome": r["outcome"], "next_deadline": iso_date(r["next_deadline"]),
            "deadline_kind": r["deadline_kind"], "url": r["url"],
        }


class DealListSerializer(FastReadMixin, serializers.ModelSerializer):
    parties = DealPartySerializer(source="deal_parties", many=True)
    total_committed = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)

    class Meta:
        model = Deal
        fields = [
            "slug", "title", "deal_type", "status", "announced_on", "completed_on", "value", "currency",
            "total_committed", "sector", "parties", "updated_at",
        ]

    def fast_representation(self, d: Deal) -> dict:
        parties = [(dp.party.slug, dp.party.name, dp.role) for dp in d.deal_parties.all()]  # prefetched by the list
        return self.deal_fields(d, parties)

    @staticmethod
    def deal_fields(d: Deal, parties) -> dict:
        """The fields a deal shows in lists; `parties` as (slug, name, role)."""
        return {
            "slug": d.slug, "title": d.title, "deal_type": d.deal_type, "status": d.status,
            "announced_on": iso_date(d.announced_on), "completed_on": iso_date(d.completed_on),
            "value": money(d.value), "currency": d.currency, "total_committed": money(d.total_committed),
            "sector": d.sector, "parties": [{"slug": slug, "name": name, "role": role} for slug, name, role in parties],
            "updated_at": iso_datetime(d.updated_at),
        }


class DealDetailSerializer(DealListSerializer):
    """One deal, with its parties and reviews read as rows: two plain queries instead of
    the prefetch machinery (a detail is never listed)."""

    reviews = ReviewSummarySerializer(many=True)

    class Meta(DealListSerializer.Meta):
        fields = [*DealListSerializer.Meta.fields, "summary", "reviews", "created_at"]

    def fast_representation(self, d: Deal) -> dict:
        parties = DealParty.objects.filter(deal=d).order_by("role", "pk").values_list("party__slug", "party__name", "role")
        summary = ReviewSummarySerializer()
        reviews = Review.objects.filter(deal=d).order_by("opened_on", "pk").values(*summary.row_fields)
        return self.deal_fields(d, parties) | {
            "summary": d.summary,
            "reviews": [summary.from_row(row) for row in reviews],
            "created_at": iso_datetime(d.created_at),
        }


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
    is_open = serializers.BooleanField()

    class Meta:
        model = Review
        fields = [
            "id", "deal", "regulator", "reference", "review_type", "status", "is_open", "status_changed_at", "stage",
            "opened_on", "closed_on", "outcome", "url", "next_deadline", "deadline_kind", "deadline_basis",
            "updated_at",
        ]

    row_fields = (
        "id", "deal__slug", "deal__title", "regulator__slug", "regulator__short_name", "regulator__jurisdiction",
        "reference", "review_type", "status", "status_changed_at", "stage", "opened_on", "closed_on", "outcome", "url",
        "next_deadline", "deadline_kind", "deadline_basis", "updated_at",
    )

    def from_row(self, r: dict) -> dict:
        return {
            "id": r["id"], "deal": {"slug": r["deal__slug"], "title": r["deal__title"]},
            "regulator": {"slug": r["regulator__slug"], "short_name": r["regulator__short_name"],
                          "jurisdiction": r["regulator__jurisdiction"]},
            "reference": r["reference"], "review_type": r["review_type"], "status": r["status"],
            "is_open": r["status"] in OPEN_STATUSES, "status_changed_at": iso_datetime(r["status_changed_at"]),
            "stage": r["stage"], "opened_on": iso_date(r["opened_on"]), "closed_on": iso_date(r["closed_on"]),
            "outcome": r["outcome"], "url": r["url"], "next_deadline": iso_date(r["next_deadline"]),
            "deadline_kind": r["deadline_kind"], "deadline_basis": r["deadline_basis"],
            "updated_at": iso_datetime(r["updated_at"]),
        }


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
    regulator = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id", "deal", "review", "regulator", "kind", "occurred_on", "date_precision", "title", "body",
            "source_url", "source_title", "from_status", "to_status", "amount", "currency", "created_at",
        ]

    def get_regulator(self, obj) -> str | None:
        return obj.review.regulator.slug if obj.review_id else None

    row_fields = (
        "id", "deal__slug", "review_id", "review__regulator__slug", "kind", "occurred_on", "date_precision", "title",
        "body", "source_url", "source_title", "from_status", "to_status", "amount", "currency", "created_at",
    )

    def from_row(self, e: dict) -> dict:
        return {
            "id": e["id"], "deal": e["deal__slug"], "review": e["review_id"], "regulator": e["review__regulator__slug"],
            "kind": e["kind"], "occurred_on": iso_date(e["occurred_on"]), "date_precision": e["date_precision"],
            "title": e["title"], "body": e["body"], "source_url": e["source_url"], "source_title": e["source_title"],
            "from_status": e["from_status"], "to_status": e["to_status"], "amount": money(e["amount"]),
            "currency": e["currency"], "created_at": iso_datetime(e["created_at"]),
        }


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
