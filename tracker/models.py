import functools
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse

from database.history import TrackedHistory
from regulators.choices import DeadlinePhase
from regulators.models import Court, Regulator

from .choices import (
    OFFICIAL_KINDS,
    OFFICIAL_SOURCES,
    AmountBasis,
    DatePrecision,
    DeadlineKind,
    DealRole,
    DealStatus,
    DealType,
    EventKind,
    Outcome,
    PartyRole,
    PeriodState,
    ReviewStatus,
    ReviewType,
    SourceType,
)
from .labels import status_label
from .lifecycle import CLOSED_STATUSES, DECISION_STATUSES, OPEN_STATUSES
from .search_index import document_expression


def stored_search_document(model_name: str) -> models.GeneratedField:
    """The row's stored full-text document (PostgreSQL; see tracker.search), written by
    the database itself on every insert and update."""
    return models.GeneratedField(
        expression=document_expression(model_name),
        output_field=SearchVectorField(null=True),
        db_persist=True,
    )


MONEY: dict[str, Any] = {
    "max_digits": 18,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0"))],
}


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


class Party(TimestampedModel):
    """An organisation taking part in deals: Amazon, Anthropic, Alphabet, ..."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    country = models.CharField(
        max_length=2, blank=True, help_text="ISO 3166 country code of the seat."
    )
    website = models.URLField(blank=True)
    aliases = models.CharField(
        max_length=500,
        blank=True,
        help_text="Other names used in searches, comma-separated (Google, AWS).",
    )
    search_document = stored_search_document("party")

    history = TrackedHistory(excluded_fields=["search_document"])

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "parties"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """The party's public page."""
        return reverse("pages:party", args=[self.slug])

    def api_url(self) -> str:
        return reverse("party-detail", args=[self.slug])


@functools.cache
def total_committed_subquery() -> models.Subquery:
    """A deal's invested amounts summed: a subquery, not a join (joined with reviews or
    parties a Sum would multiply). Built once: Django copies an expression where it is used."""
    investments = (
        Event.objects.filter(
            deal=models.OuterRef("pk"),
            kind=EventKind.INVESTMENT,
        )
        .exclude(amount_basis=AmountBasis.UP_TO)
        .order_by()
        .values("deal")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return models.Subquery(investments, output_field=models.DecimalField())


class DealQuerySet(models.QuerySet):
    def with_total_committed(self):
        return self.annotate(total_committed=total_committed_subquery())


class Deal(TimestampedModel):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    deal_type = models.CharField(max_length=30, choices=DealType.choices, db_index=True)
    status = models.CharField(
        max_length=20, choices=DealStatus.choices, default=DealStatus.ANNOUNCED, db_index=True
    )
    announced_on = models.DateField(null=True, blank=True, db_index=True)
    announced_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How precisely the announcement date is known: 'March 2024' is 2024-03-01 with precision 'month'.",
    )
    completed_on = models.DateField(null=True, blank=True)
    completed_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    value = models.DecimalField(
        **MONEY,
        null=True,
        blank=True,
        help_text="Headline value as announced, in the currency below.",
    )
    value_basis = models.CharField(
        max_length=10,
        choices=AmountBasis.choices,
        blank=True,
        help_text="What the headline value is: an announced ceiling ('up to'), the amount committed, "
        "the amount funded, or a figure only the press reports.",
    )
    currency = models.CharField(max_length=3, default="USD", help_text="ISO 4217 code.")
    sector = models.CharField(max_length=100, blank=True)
    summary = models.TextField(blank=True)
    parties = models.ManyToManyField(Party, through="DealParty", related_name="deals")
    search_document = stored_search_document("deal")

    objects = DealQuerySet.as_manager()
    history = TrackedHistory(excluded_fields=["updated_at", "search_document"])

    class Meta:
        ordering = ["-announced_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deal_type__in=DealType.values), name="deal_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DealStatus.values), name="deal_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(
                    announced_precision__in=DatePrecision.values,
                    completed_precision__in=DatePrecision.values,
                ),
                name="deal_date_precisions_valid",
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True)
                | Q(announced_on__isnull=True)
                | Q(completed_on__gte=models.F("announced_on")),
                name="deal_completed_after_announced",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The deal's public page."""
        return reverse("pages:deal", args=[self.slug])

    def api_url(self) -> str:
        return reverse("deal-detail", args=[self.slug])

    @property
    def total_committed(self) -> Decimal | None:
        """Sum of the investment tranches recorded on the timeline (1.25B + 2.75B + ...)."""
        if "total_committed" in self.__dict__:
            return self.__dict__["total_committed"]
        return (
            self.events.filter(kind=EventKind.INVESTMENT)
            .exclude(amount_basis=AmountBasis.UP_TO)
            .aggregate(total=Sum("amount"))["total"]
        )

    @total_committed.setter
    def total_committed(self, value):
        # Set by DealQuerySet.with_total_committed().
        self.__dict__["total_committed"] = value


class DealParty(models.Model):
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="deal_parties")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="deal_roles")
    role = models.CharField(max_length=20, choices=PartyRole.choices)

    class Meta:
        ordering = ["deal", "role", "party__name"]
        verbose_name = "party to the deal"
        verbose_name_plural = "parties to the deal"
        constraints = [
            models.UniqueConstraint(
                fields=["deal", "party", "role"], name="deal_party_role_unique"
            ),
            models.CheckConstraint(
                condition=Q(role__in=PartyRole.values), name="deal_party_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} ({self.get_role_display()})"


class ReviewQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def closed(self):
        return self.filter(status__in=CLOSED_STATUSES)


class Review(TimestampedModel):
    """One regulator's proceeding, identified by its regulator and reference.

    A proceeding may cover several deals (the FTC's 6(b) study of AI partnerships), and a
    regulator may run several on one deal (a prohibited deal and its restructured
    successor). `deal` is the lead deal, the one the proceeding is named after; `deals`
    holds every deal it covers, the lead included.
    """

    # Who made a change: set before saving, read by simple-history for the historical row.
    _history_user: Any

    deal = models.ForeignKey(
        Deal,
        on_delete=models.CASCADE,
        related_name="led_reviews",
        verbose_name="lead deal",
        help_text="The deal the proceeding is named after; it is always among the deals covered.",
    )
    deals = models.ManyToManyField(Deal, through="ReviewDeal", related_name="reviews")
    regulator = models.ForeignKey(Regulator, on_delete=models.PROTECT, related_name="reviews")
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="The case's own name where it is not the lead deal's: 'AI investments and partnerships 6(b) study'.",
    )
    reference = models.CharField(
        max_length=100,
        blank=True,
        db_index=True,
        help_text="The regulator's or court's case number: ME/7080/24, M.11766, 1:20-cv-03010; unique per regulator.",
    )
    review_type = models.CharField(
        max_length=20, choices=ReviewType.choices, default=ReviewType.MERGER_CONTROL
    )
    status = models.CharField(
        max_length=30, choices=ReviewStatus.choices, default=ReviewStatus.MONITORING
    )
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    stage = models.CharField(
        max_length=200,
        blank=True,
        help_text="The regulator's own wording of the stage, e.g. 'Phase 1 launch'.",
    )
    opened_on = models.DateField(null=True, blank=True)
    opened_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How precisely the opening date is known: 'August 2024' is 2024-08-01 with precision 'month'.",
    )
    formally_opened_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the formal case opened (phase 1, a referral, a complaint): durations count "
        "from here; opened_on may be earlier, at a preliminary inquiry or pre-notification.",
    )
    closed_on = models.DateField(null=True, blank=True)
    closed_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    outcome = models.CharField(
        max_length=30,
        choices=Outcome.choices,
        blank=True,
        db_index=True,
        help_text="How the proceeding ended.",
    )
    outcome_wording = models.CharField(
        max_length=300,
        blank=True,
        help_text="The decision in the regulator's or court's own words.",
    )
    court = models.ForeignKey(
        Court,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews",
        help_text="On litigation: the court that hears it.",
    )
    docket_number = models.CharField(
        max_length=100, blank=True, help_text="The court's docket: 1:20-cv-03010."
    )
    judge = models.CharField(max_length=200, blank=True)
    url = models.URLField(blank=True, max_length=500, verbose_name="URL")
    next_deadline = models.DateField(null=True, blank=True)
    deadline_kind = models.CharField(
        max_length=20,
        choices=DeadlineKind.choices,
        blank=True,
        help_text="How the next deadline was arrived at.",
    )
    deadline_phase = models.CharField(
        max_length=30,
        choices=DeadlinePhase.choices,
        blank=True,
        help_text="The statutory period the clock is running on, when the regulator has rules for this phase.",
    )
    clock_started_on = models.DateField(
        null=True,
        blank=True,
        help_text="Day of the act that started the current period (launch notice, notification, reference, "
        "opening decision, HSR filing, substantial compliance).",
    )
    deadline_variant = models.CharField(
        max_length=30,
        blank=True,
        help_text="A case type with its own period length: cash_tender, bankruptcy, commitments, referral_request.",
    )
    deadline_basis = models.TextField(
        blank=True, editable=False, help_text="How the deadline was counted."
    )
    search_document = stored_search_document("review")

    objects = ReviewQuerySet.as_manager()
    history = TrackedHistory(excluded_fields=["updated_at", "search_document"])

    class Meta:
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["regulator", "reference"],
                condition=~Q(reference=""),
                name="review_reference_unique",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReviewStatus.values), name="review_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=["", *Outcome.values]), name="review_outcome_valid"
            ),
            models.CheckConstraint(
                condition=Q(review_type__in=ReviewType.values), name="review_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(deadline_kind__in=["", *DeadlineKind.values]),
                name="review_deadline_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(closed_on__gte=models.F("opened_on")),
                name="review_closed_after_opened",
            ),
            # A closed review has a closing date; an open one has none.
            models.CheckConstraint(
                condition=Q(status__in=sorted(CLOSED_STATUSES), closed_on__isnull=False)
                | Q(status__in=sorted(OPEN_STATUSES), closed_on__isnull=True),
                name="review_closed_on_matches_status",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_deadline"], name="review_status_deadline_idx"),
            models.Index(fields=["regulator", "status"], name="review_regulator_status_idx"),
            models.Index(fields=["next_deadline"], name="review_deadline_idx"),
            models.Index(fields=["opened_on"], name="review_opened_idx"),
            # One regulator's reviews, newest opened first: the list's default order.
            models.Index(
                fields=["regulator", "-opened_on", "-id"], name="review_regulator_opened_idx"
            ),
        ]

    def __str__(self) -> str:
        label = f"{self.regulator.short_name}: {self.name}"
        return f"{label} ({self.reference})" if self.reference else label

    def save(self, *args, **kwargs):
        inserting = self._state.adding and self.pk is None
        super().save(*args, **kwargs)
        # The lead deal is always one of the deals covered, however the review was made.
        if not self.deal_id or (
            kwargs.get("update_fields") and "deal" not in kwargs["update_fields"]
        ):
            return
        if inserting:
            ReviewDeal.objects.create(
                review=self, deal_id=self.deal_id
            )  # a new row covers nothing yet
        else:
            ReviewDeal.objects.get_or_create(review=self, deal_id=self.deal_id)

    def get_absolute_url(self) -> str:
        """The proceeding's public page."""
        return reverse("pages:proceeding", args=[self.pk])

    @property
    def name(self) -> str:
        """The case's own title, else its lead deal's."""
        return self.title or self.deal.title

    def api_url(self) -> str:
        return reverse("review-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def status_label(self) -> str:
        """The status as readers see it, a closed one with its outcome ("Closed: not qualifying")."""
        return status_label(self.status, self.outcome)


class ReviewDealQuerySet(models.QuerySet):
    def leads_not_reviewed(self):
        """Links of proceedings to their own lead deal in a role other than a review (a
        monopolisation case whose remedy reached a stake): their events are listed under
        the proceeding's own title, not the deal's."""
        return self.filter(deal_id=models.F("review__deal_id")).exclude(role=DealRole.REVIEWS)


class ReviewDeal(models.Model):
    """A deal a proceeding is linked to, with the proceeding's role on it: it reviews the
    deal, a market study covers it, a remedy reaches it, or it is related."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="deal_links")
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="review_links")
    role = models.CharField(
        max_length=20,
        choices=DealRole.choices,
        default=DealRole.REVIEWS,
        # Rows written by the bulk writers, which insert only the columns they are given.
        db_default=DealRole.REVIEWS,
        help_text="What the proceeding is to this deal: it reviews it, covers it (a market study), "
        "reaches it (a remedy proposal) or is related.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewDealQuerySet.as_manager()

    class Meta:
        # Newest opened first, undated last, on every database.
        ordering = [models.F("review__opened_on").desc(nulls_last=True), "-review_id", "id"]
        verbose_name = "deal covered"
        verbose_name_plural = "deals covered"
        constraints = [
            models.UniqueConstraint(fields=["review", "deal"], name="review_deal_unique")
        ]

    def __str__(self) -> str:
        return str(self.deal)


class EventQuerySet(models.QuerySet):
    def on_timeline_of(self, deal):
        """The deal's timeline: its own events, and the events of every proceeding covering
        it that belong to the proceeding as a whole (no deal of their own)."""
        return self.filter(
            Q(deal=deal)
            | Q(deal__isnull=True, review__in=ReviewDeal.objects.filter(deal=deal).values("review"))
        )


class Event(models.Model):
    """A dated, sourced entry on a deal's timeline, usually tied to one proceeding.

    An event of a proceeding as a whole (a status change, a decision) has no deal of its
    own and shows on the timeline of every deal the proceeding covers; an event with a
    deal is about that deal (an investment, or one party's part in a shared proceeding).
    """

    deal = models.ForeignKey(
        Deal, on_delete=models.CASCADE, related_name="events", null=True, blank=True
    )
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="events", null=True, blank=True
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    occurred_on = models.DateField()
    date_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How precisely the date is known: 2024-03 is stored as 2024-03-01 with precision 'month'.",
    )
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    source_title = models.CharField(max_length=300, blank=True)
    source_type = models.CharField(max_length=10, choices=SourceType.choices, blank=True)
    source_read_on = models.DateField(null=True, blank=True, help_text="When the source was read.")
    from_status = models.CharField(max_length=30, choices=ReviewStatus.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=ReviewStatus.choices, blank=True)
    amount = models.DecimalField(
        **MONEY,
        null=True,
        blank=True,
        help_text="For investment events: the amount committed in this tranche.",
    )
    amount_basis = models.CharField(
        max_length=10,
        choices=AmountBasis.choices,
        blank=True,
        help_text="What the amount is: an announced ceiling ('up to', not counted as committed), "
        "committed, funded, or reported by the press.",
    )
    currency = models.CharField(max_length=3, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_as_history = models.BooleanField(
        default=False,
        editable=False,
        help_text="A registry's past, imported when the case was first seen: on the timeline, not news for "
        "digests or feeds.",
    )
    search_document = stored_search_document("event")

    objects = EventQuerySet.as_manager()
    history = TrackedHistory(excluded_fields=["search_document"])

    class Meta:
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
            models.CheckConstraint(
                condition=Q(deal__isnull=False) | Q(review__isnull=False), name="event_has_a_place"
            ),
            models.CheckConstraint(
                condition=Q(source_type__in=["", *SourceType.values]),
                name="event_source_type_valid",
            ),
            # Status changes carry both statuses; no other kind carries any.
            models.CheckConstraint(
                condition=Q(kind=EventKind.STATUS_CHANGE, review__isnull=False)
                & ~Q(from_status="")
                & ~Q(to_status="")
                | ~Q(kind=EventKind.STATUS_CHANGE) & Q(from_status="", to_status=""),
                name="event_status_change_fields",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(kind=EventKind.INVESTMENT),
                name="event_amount_only_on_investment",
            ),
        ]
        indexes = [
            models.Index(fields=["deal", "occurred_on"], name="event_deal_date_idx"),
            models.Index(fields=["review", "occurred_on"], name="event_review_date_idx"),
            models.Index(fields=["kind", "occurred_on"], name="event_kind_date_idx"),
            models.Index(fields=["occurred_on", "id"], name="event_date_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.title}"

    @property
    def kinds(self) -> frozenset[str]:
        """The kinds the event is found and followed as: its own, and "decision" for a status
        change into a status that records a decision (a clearance, a prohibition, a finding)."""
        if self.kind == EventKind.STATUS_CHANGE and self.to_status in DECISION_STATUSES:
            return frozenset({self.kind, EventKind.DECISION})
        return frozenset({self.kind})

    @property
    def title_without_regulator(self) -> str:
        """The title without a leading "EC: ", for lines that name the regulator already."""
        if self.review_id and self.review is not None:
            prefix = f"{self.review.regulator.short_name}: "
            if self.title.startswith(prefix):
                return self.title[len(prefix) :]
        return self.title

    @property
    def listed_deal(self) -> Deal | None:
        """The deal the event is listed under: its own, else its proceeding's lead deal."""
        if self.deal_id or self.review is None:
            return self.deal
        return self.review.deal

    def clean(self):
        super().clean()
        if self.deal_id is None and self.review_id is None:
            raise ValidationError({"deal": "Give the deal or the review."})
        if (
            self.deal_id
            and self.review is not None
            and not self.review.deal_links.filter(deal_id=self.deal_id).exists()
        ):
            raise ValidationError({"review": "The review does not cover this deal."})
        # What a regulator or court decided cites the regulator or the court.
        if self.kind in OFFICIAL_KINDS:
            if not self.source_url:
                raise ValidationError(
                    {"source_url": "A decision, opinion or judgment needs its source's URL."}
                )
            if self.source_type not in OFFICIAL_SOURCES:
                raise ValidationError(
                    {
                        "source_type": "A decision, opinion or judgment is sourced from the regulator or the court."
                    }
                )
        if self.amount is not None and self.kind != EventKind.INVESTMENT:
            raise ValidationError({"amount": "Only investment events carry an amount."})
        if self.amount_basis and self.amount is None:
            raise ValidationError({"amount_basis": "Give the amount the basis describes."})


class ClockStop(models.Model):
    """The review's clock stopped on `stopped_on` and runs again from `restarted_on`, which counts."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="clock_stops")
    phase = models.CharField(max_length=30, choices=DeadlinePhase.choices, editable=False)
    stopped_on = models.DateField()
    restarted_on = models.DateField(
        null=True, blank=True, help_text="Empty while the clock is still stopped."
    )
    reason = models.CharField(
        max_length=300, help_text="E.g. information request under s.109, Art. 11(3) decision."
    )
    source_url = models.URLField(max_length=500, blank=True, verbose_name="source URL")
    created_at = models.DateTimeField(auto_now_add=True)

    history = TrackedHistory()

    class Meta:
        ordering = ["review", "stopped_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(restarted_on__isnull=True) | Q(restarted_on__gt=models.F("stopped_on")),
                name="clock_stop_restarts_after_it_stops",
            ),
            models.UniqueConstraint(
                fields=["review", "phase", "stopped_on"], name="clock_stop_one_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"Clock stopped {self.stopped_on} to {self.restarted_on or '(still stopped)'}: {self.reason}"


class DeadlineExtension(models.Model):
    """An extension of the review's current period, in the rule's own unit."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="deadline_extensions")
    phase = models.CharField(max_length=30, choices=DeadlinePhase.choices, editable=False)
    length = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1)],
        help_text="In the rule's unit: working days at the Commission, weeks at the CMA.",
    )
    granted_on = models.DateField()
    reason = models.CharField(max_length=300)
    source_url = models.URLField(max_length=500, blank=True, verbose_name="source URL")
    created_at = models.DateTimeField(auto_now_add=True)

    history = TrackedHistory()

    class Meta:
        ordering = ["review", "granted_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(length__gte=1), name="deadline_extension_positive")
        ]

    def __str__(self) -> str:
        return f"Extension of {self.length} granted {self.granted_on}: {self.reason}"


class DeadlinePeriod(models.Model):
    """One statutory period a proceeding had, kept for good: when its clock started, when it
    was due, how that was counted, and how it ended. The review's next deadline is the due
    date of its current (running or stopped) period."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="deadline_periods")
    phase = models.CharField(max_length=30, choices=DeadlinePhase.choices, blank=True)
    variant = models.CharField(max_length=30, blank=True)
    clock_started_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    published_due_on = models.DateField(
        null=True,
        blank=True,
        help_text="The date the regulator itself published, kept beside ours.",
    )
    kind = models.CharField(max_length=20, choices=DeadlineKind.choices, blank=True)
    basis = models.TextField(blank=True, help_text="How the date was counted.")
    state = models.CharField(
        max_length=12, choices=PeriodState.choices, default=PeriodState.RUNNING, db_index=True
    )
    ended_on = models.DateField(
        null=True, blank=True, help_text="When the period stopped being current."
    )
    end_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=PeriodState.values), name="deadline_period_state_valid"
            ),
            # At most one current period per proceeding.
            models.UniqueConstraint(
                fields=["review"],
                condition=Q(state__in=[PeriodState.RUNNING, PeriodState.STOPPED]),
                name="deadline_period_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_phase_display() or 'Deadline'} due {self.due_on} ({self.get_state_display()})"
