"""Input and output serializers of the v1 API.

Read serializers shape responses (nested, denormalised for clients); write serializers
take slugs for relations and validate input. Status is never written here: a review's
status moves only through TransitionSerializer and the transition service.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import F
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from regulators.models import Court, Regulator
from tracker.choices import (
    OFFICIAL_KINDS,
    OFFICIAL_SOURCES,
    EventKind,
    Outcome,
    PartyRole,
    ReviewStatus,
    SourceType,
)
from tracker.deadlines import open_in_phase
from tracker.labels import status_label
from tracker.lifecycle import OPEN_STATUSES
from tracker.models import Deal, DealParty, Event, Party, Review, ReviewDeal
from tracker.services import (
    check_official_source,
    closing_outcome,
    link_deal,
    record_event,
    unlink_deal,
)

from .dates import PreciseDateField, PreciseDateInputField, PrecisionField, apply_precise_dates
from .nested import ItemsField

MONEY = {"max_digits": 18, "decimal_places": 2, "min_value": Decimal("0")}


class StatusLabelField(serializers.CharField):
    """The status as readers see it, a closed one with its outcome: "Closed: not qualifying"."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            'The status as readers see it; a closed one says its outcome ("Closed: judgment").',
        )
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, review):
        return status_label(review.status, review.outcome)


class IsOpenField(serializers.BooleanField):
    """Whether the proceeding's status is an open one."""

    def __init__(self, **kwargs):
        super().__init__(source="status", read_only=True, **kwargs)

    def to_representation(self, status):
        return status in OPEN_STATUSES


@extend_schema_field(OpenApiTypes.URI)
class PageLinkField(serializers.Field):
    """The public page of the object (its get_absolute_url), as an absolute link."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "The public page that shows it to readers.")
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path


def as_drf_error(exc: DjangoValidationError) -> serializers.ValidationError:
    """A domain rule's error (Django's ValidationError) as the API's field errors."""
    return serializers.ValidationError(
        exc.message_dict if hasattr(exc, "error_dict") else exc.messages
    )


def country_code(value: str) -> str:
    if value and (len(value) != 2 or not value.isalpha()):
        raise serializers.ValidationError("Use a two-letter ISO 3166 country code.")
    return value.upper()


# --- regulators and parties -------------------------------------------------------


class RegulatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Regulator
        fields = ["slug", "short_name", "name", "jurisdiction", "website", "calendar"]


class CourtSerializer(serializers.ModelSerializer):
    class Meta:
        model = Court
        fields = ["slug", "short_name", "name", "jurisdiction", "website"]


class CourtRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Court
        fields = ["slug", "short_name", "name"]


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


class ReviewSummarySerializer(serializers.ModelSerializer):
    """A review as listed inside its deal."""

    regulator = RegulatorRefSerializer()
    lead_deal = serializers.CharField(
        source="deal.slug",
        read_only=True,
        help_text="The deal the proceeding is named after (it may cover others).",
    )
    court = CourtRefSerializer(allow_null=True, read_only=True)
    is_open = IsOpenField()
    status_label = StatusLabelField()

    # Undated reviews last, as PostgreSQL orders them, on SQLite too.
    row_order = (F("opened_on").asc(nulls_last=True), "pk")

    class Meta:
        model = Review
        fields = [
            "id",
            "regulator",
            "title",
            "reference",
            "review_type",
            "status",
            "status_label",
            "is_open",
            "stage",
            "opened_on",
            "opened_precision",
            "formally_opened_on",
            "closed_on",
            "closed_precision",
            "outcome",
            "outcome_wording",
            "lead_deal",
            "court",
            "docket_number",
            "next_deadline",
            "deadline_kind",
            "url",
        ]


class ProceedingRoleSerializer(serializers.ModelSerializer):
    """A proceeding's role on the deal: it reviews it, covers it, reaches it or is related."""

    review = serializers.IntegerField(source="review_id", read_only=True)

    # As the links are ordered (ReviewDeal.Meta: by review, newest opened first).
    row_order = (F("review__opened_on").desc(nulls_last=True), "-review_id", "pk")

    class Meta:
        model = ReviewDeal
        fields = ["review", "role"]


class DealListSerializer(serializers.ModelSerializer):
    announced_on = PreciseDateField("announced_on", "announced_precision")
    announced_precision = PrecisionField(read_only=True)
    completed_on = PreciseDateField("completed_on", "completed_precision")
    completed_precision = PrecisionField(read_only=True)
    parties = DealPartySerializer(source="deal_parties", many=True)
    total_committed = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    page_url = PageLinkField()

    class Meta:
        model = Deal
        fields = [
            "slug",
            "title",
            "page_url",
            "deal_type",
            "status",
            "announced_on",
            "announced_precision",
            "completed_on",
            "completed_precision",
            "value",
            "value_basis",
            "currency",
            "total_committed",
            "sector",
            "parties",
            "updated_at",
        ]


class DealDetailSerializer(DealListSerializer):
    """One deal, with its parties and reviews. `reviews` lists every proceeding covering
    the deal, those led by another deal included (see each one's `lead_deal`)."""

    reviews = ReviewSummarySerializer(many=True)
    review_roles = ProceedingRoleSerializer(
        source="review_links",
        many=True,
        help_text="Each proceeding's role on the deal (by review id): only those that `review` it count "
        "towards its durations and open proceedings.",
    )

    class Meta(DealListSerializer.Meta):
        fields = [
            *DealListSerializer.Meta.fields,
            "summary",
            "reviews",
            "review_roles",
            "created_at",
        ]


class DealPartyInputSerializer(serializers.Serializer):
    party = serializers.SlugRelatedField(slug_field="slug", queryset=Party.objects.all())
    role = serializers.ChoiceField(choices=PartyRole.choices)


DEAL_DATES = {"announced_on": "announced_precision", "completed_on": "completed_precision"}


class DealWriteSerializer(serializers.ModelSerializer):
    announced_on = PreciseDateInputField(required=False, allow_null=True)
    completed_on = PreciseDateInputField(required=False, allow_null=True)
    announced_precision = PrecisionField(required=False)
    completed_precision = PrecisionField(required=False)
    value = serializers.DecimalField(**MONEY, required=False, allow_null=True)
    parties = ItemsField(DealPartyInputSerializer, required=False)

    class Meta:
        model = Deal
        fields = [
            "slug",
            "title",
            "deal_type",
            "status",
            "announced_on",
            "announced_precision",
            "completed_on",
            "completed_precision",
            "value",
            "value_basis",
            "currency",
            "sector",
            "summary",
            "parties",
        ]

    def validate_parties(self, value):
        pairs = [(item["party"].pk, item["role"]) for item in value]
        if len(pairs) != len(set(pairs)):
            raise serializers.ValidationError("A party is listed twice with the same role.")
        return value

    def validate(self, attrs):
        attrs = apply_precise_dates(attrs, DEAL_DATES)
        announced = attrs.get("announced_on", getattr(self.instance, "announced_on", None))
        completed = attrs.get("completed_on", getattr(self.instance, "completed_on", None))
        if announced and completed and completed < announced:
            raise serializers.ValidationError(
                {"completed_on": "A deal cannot complete before it was announced."}
            )
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
        DealParty.objects.bulk_create(
            DealParty(deal=deal, party=p["party"], role=p["role"]) for p in parties
        )


# --- reviews ----------------------------------------------------------------------------


class DealRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Deal
        fields = ["slug", "title"]


class CoveredDealSerializer(serializers.ModelSerializer):
    """A deal a review covers."""

    slug = serializers.CharField(source="deal.slug")
    title = serializers.CharField(source="deal.title")

    row_order = ("pk",)  # in the order they were added: the lead deal first

    class Meta:
        model = ReviewDeal
        fields = ["slug", "title", "role"]


class ReviewReadSerializer(serializers.ModelSerializer):
    deal = DealRefSerializer(help_text="The lead deal: the one the proceeding is named after.")
    deals = CoveredDealSerializer(
        source="deal_links",
        many=True,
        help_text="Every deal the proceeding covers, the lead deal included.",
    )
    regulator = RegulatorRefSerializer()
    court = CourtRefSerializer(allow_null=True, read_only=True)
    is_open = IsOpenField()
    status_label = StatusLabelField()
    page_url = PageLinkField()

    class Meta:
        model = Review
        fields = [
            "id",
            "page_url",
            "deal",
            "deals",
            "regulator",
            "title",
            "reference",
            "review_type",
            "status",
            "status_label",
            "is_open",
            "status_changed_at",
            "stage",
            "opened_on",
            "opened_precision",
            "formally_opened_on",
            "closed_on",
            "closed_precision",
            "outcome",
            "outcome_wording",
            "court",
            "docket_number",
            "judge",
            "url",
            "next_deadline",
            "deadline_kind",
            "deadline_basis",
            "updated_at",
        ]


# Review fields written only through a service, and where to go instead.
DEADLINE_ADVICE = (
    "Deadlines move only through the deadline service, which records why each one moved: set the phase, "
    "clock start, variant or a hand-set deadline on the review's page in the admin. The API has no deadline "
    "action yet."
)
SERVICE_FIELDS = {
    "status": "Status is not edited directly: POST to this review's transition/ action.",
    "outcome": "The outcome is recorded with the status that closes the review: POST to this review's "
    "transition/ action with `status` and `outcome`.",
    **{
        name: DEADLINE_ADVICE
        for name in (
            "next_deadline",
            "deadline_kind",
            "deadline_phase",
            "clock_started_on",
            "deadline_variant",
            "deadline_basis",
        )
    },
}


def same_value(current, given) -> bool:
    """Whether `given` (JSON input) says what `current` (the stored value) says."""
    if current in (None, "") and given in (None, ""):
        return True
    if hasattr(current, "isoformat"):
        return current.isoformat() == given
    return current == given


class ReviewWriteSerializer(serializers.ModelSerializer):
    deal = serializers.SlugRelatedField(
        slug_field="slug", queryset=Deal.objects.all(), help_text="The lead deal (slug)."
    )
    deals = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Deal.objects.all(),
        many=True,
        required=False,
        help_text="Every deal the proceeding covers (slugs); the lead deal is always included. On update, "
        "the list replaces the deals covered.",
    )
    regulator = serializers.SlugRelatedField(slug_field="slug", queryset=Regulator.objects.all())
    court = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Court.objects.all(),
        required=False,
        allow_null=True,
        help_text="Court slug.",
    )
    status = serializers.ChoiceField(
        choices=ReviewStatus.choices,
        required=False,
        help_text="Initial status (an open one), on creation only; afterwards use the transition action.",
    )

    class Meta:
        model = Review
        fields = [
            "deal",
            "deals",
            "regulator",
            "title",
            "reference",
            "review_type",
            "status",
            "stage",
            "opened_on",
            "opened_precision",
            "outcome_wording",
            "court",
            "docket_number",
            "judge",
            "url",
        ]
        # (regulator, reference) is checked in validate(), naming `reference`.
        validators: list = []

    def to_internal_value(self, data):
        # Fields that only a service moves: a change is refused, naming the way to make it,
        # rather than dropped in silence (the same value, as a PUT of the read shape sends, passes).
        refused = {}
        if hasattr(data, "get"):
            for name, message in SERVICE_FIELDS.items():
                if name == "status" or name not in data:
                    continue
                if self.instance is not None:
                    current = getattr(self.instance, name)
                else:
                    current = Review._meta.get_field(name).get_default()
                if not same_value(current, data.get(name)):
                    refused[name] = [message]
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if refused and isinstance(exc.detail, dict):
                exc.detail.update(refused)
            raise
        if refused:
            raise serializers.ValidationError(refused)
        return value

    def validate_status(self, value):
        if self.instance is not None and value != self.instance.status:
            raise serializers.ValidationError(SERVICE_FIELDS["status"])
        if self.instance is None and value not in OPEN_STATUSES:
            raise serializers.ValidationError(
                "A new review starts in an open status; close it with a transition."
            )
        return value

    def validate(self, attrs):
        if (
            self.instance is not None
            and "regulator" in attrs
            and attrs["regulator"] != self.instance.regulator
        ):
            raise serializers.ValidationError(
                {"regulator": "A review cannot move to another regulator."}
            )
        regulator = attrs.get("regulator", getattr(self.instance, "regulator", None))
        reference = attrs.get("reference", getattr(self.instance, "reference", ""))
        if reference:
            taken = Review.objects.filter(regulator=regulator, reference=reference)
            if self.instance is not None:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                raise serializers.ValidationError(
                    {
                        "reference": f"{regulator.short_name} already has a review with the reference {reference!r}."
                    }
                )
        return attrs

    def create(self, validated_data):
        deals = validated_data.pop("deals", None)
        with transaction.atomic():
            review = super().create(validated_data)  # Review.save() covers the lead deal
            if deals:
                self._cover(review, deals)
            # Created directly in a phase: its statutory period starts as a status change's would,
            # counted from the opening date when one is given.
            request = self.context.get("request")
            open_in_phase(
                review_id=review.pk,
                opened_on=review.opened_on,
                source_url=review.url,
                user=getattr(request, "user", None),
            )
            review.refresh_from_db()
        return review

    def update(self, instance, validated_data):
        deals = validated_data.pop("deals", None)
        with transaction.atomic():
            review = super().update(instance, validated_data)
            if deals is not None:
                self._cover(review, deals)
        return review

    @staticmethod
    def _cover(review: Review, deals) -> None:
        """Make `deals`, with the lead deal, the deals the review covers."""
        wanted = {deal.pk: deal for deal in deals}
        wanted.setdefault(review.deal_id, review.deal)
        for deal in review.deals.exclude(pk__in=wanted):
            unlink_deal(review, deal)
        for deal in wanted.values():
            link_deal(review, deal)


class TransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ReviewStatus.choices)
    occurred_on = serializers.DateField()
    title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    source_url = serializers.URLField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="The regulator's or court's page that records the change: required.",
    )
    source_title = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    source_type = serializers.ChoiceField(
        choices=SourceType.choices,
        required=False,
        default=SourceType.REGULATOR,
        help_text="Who published the source: a status change cites a regulator or a court.",
    )
    stage = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="The regulator's wording for the new stage; left out or empty, the review's stage "
        "wording is cleared (it described the status left).",
    )
    outcome = serializers.ChoiceField(
        choices=Outcome.choices,
        required=False,
        allow_blank=True,
        help_text="How the review ended, on a move to a closed status (each closed status allows some outcomes; "
        "the first is assumed when none is given).",
    )
    outcome_wording = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text="The decision in the regulator's or court's words.",
    )

    def validate(self, attrs):
        # The service checks these too; checked here, every field's error comes in one answer.
        errors = {}
        for check in (
            lambda: check_official_source(attrs["source_url"], attrs["source_type"]),
            lambda: closing_outcome(attrs["status"], attrs.get("outcome")),
        ):
            try:
                check()
            except DjangoValidationError as exc:
                errors.update(as_drf_error(exc).detail)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


# --- events ----------------------------------------------------------------------------


class EventReadSerializer(serializers.ModelSerializer):
    deal = serializers.CharField(
        source="listed_deal_slug",
        read_only=True,
        help_text="The deal the event is listed under: its own, else its review's lead deal. An event of a "
        "review as a whole shows on the timeline of every deal the review covers.",
    )
    regulator = serializers.CharField(source="regulator_slug", read_only=True, allow_null=True)
    occurred_on = PreciseDateField("occurred_on", "date_precision", allow_null=False)
    date_precision = PrecisionField(read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "deal",
            "review",
            "regulator",
            "kind",
            "occurred_on",
            "date_precision",
            "title",
            "body",
            "source_url",
            "source_title",
            "source_type",
            "source_read_on",
            "from_status",
            "to_status",
            "amount",
            "amount_basis",
            "currency",
            "created_at",
        ]


class EventWriteSerializer(serializers.ModelSerializer):
    deal = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Deal.objects.all(),
        required=False,
        allow_null=True,
        help_text="The deal (slug). With a review, leave it out for an event of the review as a whole (it shows "
        "on every deal the review covers), or name one deal the review covers.",
    )
    review = serializers.PrimaryKeyRelatedField(
        queryset=Review.objects.all(), required=False, allow_null=True
    )
    kind = serializers.ChoiceField(
        choices=[c for c in EventKind.choices if c[0] != EventKind.STATUS_CHANGE]
    )
    occurred_on = PreciseDateInputField()
    date_precision = PrecisionField(required=False)
    amount = serializers.DecimalField(**MONEY, required=False, allow_null=True)
    history = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="On creation: true records a back-filled past (on the timeline, not news): "
        "no notice goes out. Otherwise the new event reaches the subscribers who follow its kind.",
    )

    class Meta:
        model = Event
        fields = [
            "deal",
            "review",
            "kind",
            "occurred_on",
            "date_precision",
            "title",
            "body",
            "source_url",
            "source_title",
            "source_type",
            "source_read_on",
            "amount",
            "amount_basis",
            "currency",
            "history",
        ]

    def validate(self, attrs):
        if self.instance is not None and self.instance.kind == EventKind.STATUS_CHANGE:
            raise serializers.ValidationError(
                "Status-change events are written by transitions only."
            )
        attrs = apply_precise_dates(attrs, {"occurred_on": "date_precision"})
        review = attrs["review"] if "review" in attrs else getattr(self.instance, "review", None)
        deal = attrs["deal"] if "deal" in attrs else getattr(self.instance, "deal", None)
        if deal is None and review is None:
            raise serializers.ValidationError({"deal": "Give the deal (slug) or the review (id)."})
        if (
            review is not None
            and deal is not None
            and not review.deal_links.filter(deal=deal).exists()
        ):
            raise serializers.ValidationError(
                {
                    "review": f"This review does not cover the deal {deal.slug!r}: leave the deal out for an event of "
                    "the review as a whole, or add the deal to the review's deals first."
                }
            )
        kind = attrs.get("kind", getattr(self.instance, "kind", None))
        if attrs.get("amount") is not None and kind != EventKind.INVESTMENT:
            raise serializers.ValidationError({"amount": "Only investment events carry an amount."})
        amount = attrs["amount"] if "amount" in attrs else getattr(self.instance, "amount", None)
        basis = (
            attrs["amount_basis"]
            if "amount_basis" in attrs
            else getattr(self.instance, "amount_basis", "")
        )
        if basis and amount is None:
            raise serializers.ValidationError(
                {"amount_basis": "Give the amount the basis describes."}
            )
        if kind in OFFICIAL_KINDS:  # what a regulator or court decided cites the regulator or court
            source_url = attrs.get("source_url", getattr(self.instance, "source_url", ""))
            source_type = attrs.get("source_type", getattr(self.instance, "source_type", ""))
            label = EventKind(kind).label.lower()
            if not source_url:
                raise serializers.ValidationError(
                    {
                        "source_url": f"A {label} cites the regulator's or court's page as its source."
                    }
                )
            if source_type not in OFFICIAL_SOURCES:
                raise serializers.ValidationError(
                    {
                        "source_type": f"A {label} is sourced from a regulator or a court "
                        f"(source_type {' or '.join(sorted(OFFICIAL_SOURCES))})."
                    }
                )
        return attrs

    def create(self, validated_data):
        history = validated_data.pop("history", False)
        event = Event(**validated_data)
        return record_event(event, history=history, user=self.context["request"].user)

    def update(self, instance, validated_data):
        validated_data.pop("history", None)  # an edit is never news, nor is it re-dated as history
        return super().update(instance, validated_data)
