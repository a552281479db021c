"""Every vocabulary of the domain, in one place."""

from django.db import models


class DealType(models.TextChoices):
    ACQUISITION = "acquisition", "Acquisition"
    MERGER = "merger", "Merger"
    MINORITY_INVESTMENT = "minority_investment", "Minority investment"
    PARTNERSHIP = "partnership", "Partnership"
    JOINT_VENTURE = "joint_venture", "Joint venture"
    ACQUI_HIRE = "acqui_hire", "Acqui-hire / licensing"


class DealStatus(models.TextChoices):
    ANNOUNCED = "announced", "Announced"
    PENDING = "pending", "Pending"
    COMPLETED = "completed", "Completed"
    ABANDONED = "abandoned", "Abandoned"
    BLOCKED = "blocked", "Blocked"
    UNWOUND = "unwound", "Unwound"


class PartyRole(models.TextChoices):
    ACQUIRER = "acquirer", "Acquirer"
    INVESTOR = "investor", "Investor"
    TARGET = "target", "Target"
    PARTNER = "partner", "Partner"
    SELLER = "seller", "Seller"


class ReviewType(models.TextChoices):
    MERGER_CONTROL = "merger_control", "Merger control"
    MARKET_STUDY = "market_study", "Market study"
    INVESTIGATION = "investigation", "Investigation"
    LITIGATION = "litigation", "Litigation"


class ReviewStatus(models.TextChoices):
    # Open
    MONITORING = "monitoring", "Monitoring"
    PRE_NOTIFICATION = "pre_notification", "Pre-notification"
    PHASE_1 = "phase_1", "Phase 1"
    PHASE_2 = "phase_2", "Phase 2"
    REMEDIES = "remedies", "Remedies"
    LITIGATION = "litigation", "Litigation"
    # Closed
    CLEARED = "cleared", "Cleared"
    CLEARED_WITH_CONDITIONS = "cleared_with_conditions", "Cleared with conditions"
    PROHIBITED = "prohibited", "Prohibited"
    ABANDONED = "abandoned", "Abandoned"
    CLOSED = "closed", "Closed (no decision)"


class EventKind(models.TextChoices):
    STATUS_CHANGE = "status_change", "Status change"
    FILING = "filing", "Filing"
    DECISION = "decision", "Decision"
    DEADLINE = "deadline", "Deadline"
    HEARING = "hearing", "Hearing"
    STATEMENT = "statement", "Statement"
    NEWS = "news", "News"
    INVESTMENT = "investment", "Investment"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class DeadlineKind(models.TextChoices):
    STATUTORY = "statutory", "Statutory (computed from the rules)"
    PROVISIONAL = "provisional", "Provisional (computed; holiday data or inputs not yet confirmed)"
    ESTIMATED = "estimated", "Estimated"
    MANUAL = "manual", "Set by hand"
