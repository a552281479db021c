from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .choices import Calendar

# ISO 3166-1 alpha-2, plus "EU" for the European Commission.
jurisdiction_validator = RegexValidator(
    r"^[A-Z]{2}$", "Use a two-letter ISO 3166 country code, or EU for the European Union."
)


class Regulator(models.Model):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=30, help_text="FTC, DOJ, CMA, EC, BKartA, ...")
    slug = models.SlugField(max_length=50, unique=True)
    jurisdiction = models.CharField(
        max_length=2,
        validators=[jurisdiction_validator],
        db_index=True,
        help_text="ISO 3166 country code; EU for the European Commission.",
    )
    website = models.URLField(blank=True)
    calendar = models.CharField(
        max_length=10,
        choices=Calendar.choices,
        default=Calendar.NONE,
        help_text="Holiday calendar on which this regulator counts working days.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["short_name"]
        constraints = [
            models.UniqueConstraint(
                Upper("short_name"), "jurisdiction", name="regulator_short_name_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(calendar__in=Calendar.values), name="regulator_calendar_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.short_name} ({self.jurisdiction})"

    def get_absolute_url(self) -> str:
        """The regulator's public page (a URL name, so this layer imports nothing above it)."""
        return reverse("pages:regulator", args=[self.slug])

    def api_url(self) -> str:
        return reverse("regulator-detail", args=[self.slug])


class Court(models.Model):
    """A court that hears competition cases: a challenge to a regulator's decision, or the
    regulator's own suit (the DOJ sues in a federal district court)."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=50, help_text="D.D.C., CAT, General Court, ...")
    slug = models.SlugField(max_length=50, unique=True)
    jurisdiction = models.CharField(
        max_length=2,
        validators=[jurisdiction_validator],
        db_index=True,
        help_text="ISO 3166 country code; EU for the Union's courts.",
    )
    website = models.URLField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["jurisdiction", "name"]

    def __str__(self) -> str:
        return f"{self.short_name} ({self.jurisdiction})"
