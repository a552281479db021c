"""What the importers remember: runs, where each imported object came from, the search
entries already seen, and the editors' queue."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models

from tracker.models import Review

from .choices import ProposalKind, ProposalState, RunStatus

# A source's name as its module declares it (imports/sources/); which names exist is the
# sources' registry's to say, so the column holds validated text, not database choices.
SOURCE_NAME = RegexValidator(
    r"^[a-z][a-z0-9_]*$", "A source's name: lower-case letters, digits and underscores."
)


class ImportRun(models.Model):
    source = models.CharField(max_length=30, validators=[SOURCE_NAME], db_index=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=RunStatus.choices, default=RunStatus.RUNNING)
    since = models.DateField(null=True, blank=True)
    fetched = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    queued = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(
        default=0, help_text="Items of a kind the tracker does not follow."
    )
    failed = models.PositiveIntegerField(default=0)
    failures = models.JSONField(
        default=list, blank=True, help_text="Each failed item and its reason."
    )
    source_state = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the source keeps for its next run (a file's ETag); read from the last complete run.",
    )
    error = models.TextField(blank=True, help_text="Why the source could not be read at all.")

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"


class Provenance(models.Model):
    """Where an imported object came from, and the values the import last wrote to it: a
    field whose value differs from those was changed by an editor since."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    source = models.CharField(max_length=30, validators=[SOURCE_NAME])
    source_id = models.CharField(
        max_length=300, help_text="The registry's id: a case page, a document number."
    )
    url = models.URLField(max_length=500)
    read_at = models.DateTimeField()
    imported_values = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id", "content_type"], name="provenance_one_per_record"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="provenance_target_idx")]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_id}"


class SeenEntry(models.Model):
    """A registry's list entry as last imported; an unchanged entry needs no content fetch."""

    source = models.CharField(max_length=30, validators=[SOURCE_NAME])
    source_id = models.CharField(max_length=300)
    fingerprint = models.CharField(max_length=64)
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "seen entries"
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="seen_entry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.source_id}"


class Proposal(models.Model):
    """A difference a machine cannot settle, waiting for an editor. A decided proposal is kept,
    so the same proposal (same key) is never asked again after a rejection."""

    source = models.CharField(max_length=30, validators=[SOURCE_NAME])
    source_id = models.CharField(max_length=300)
    source_url = models.URLField(max_length=500, blank=True)
    kind = models.CharField(max_length=20, choices=ProposalKind.choices, db_index=True)
    key = models.CharField(
        max_length=64, unique=True, help_text="Hash of what is proposed, to remember decisions."
    )
    review = models.ForeignKey(
        Review, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    field = models.CharField(max_length=50, blank=True)
    current_value = models.CharField(max_length=300, blank=True)
    proposed_value = models.CharField(max_length=300, blank=True)
    summary = models.CharField(max_length=500)
    record = models.JSONField(default=dict, help_text="The source record as parsed.")
    candidates = models.ManyToManyField(Review, blank=True, related_name="+")
    attach_to = models.ForeignKey(
        Review,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="For 'attach to': the proceeding this record is about.",
    )
    state = models.CharField(
        max_length=10, choices=ProposalState.choices, default=ProposalState.OPEN, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["state", "-created_at"]

    def __str__(self) -> str:
        return self.summary
