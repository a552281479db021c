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
    # The regulator's own look before any formal case: a CMA invitation to comment, the
    # Commission asking whether a deal is reviewable, the FTC's 6(b) orders. Not the parties'
    # pre-notification talks.
    PRELIMINARY_INQUIRY = "preliminary_inquiry", "Preliminary inquiry"
    PRE_NOTIFICATION = "pre_notification", "Pre-notification"
    # A request to move the case between authorities (EUMR Art. 4(5), 9, 22) is pending.
    REFERRAL = "referral", "Referral"
    PHASE_1 = "phase_1", "Phase 1"
    PHASE_2 = "phase_2", "Phase 2"
    REMEDIES = "remedies", "Remedies"
    LITIGATION = "litigation", "Litigation"
    # A decision or judgment is challenged before a higher court (CAT, General Court, D.C. Circuit).
    APPEAL = "appeal", "Appeal"
    # Closed
    CLEARED = "cleared", "Cleared"
    CLEARED_WITH_CONDITIONS = "cleared_with_conditions", "Cleared with conditions"
    PROHIBITED = "prohibited", "Prohibited"
    ABANDONED = "abandoned", "Abandoned"
    CLOSED = "closed", "Closed (no decision)"


class DealRole(models.TextChoices):
    """What a proceeding is to a deal it is linked to."""

    REVIEWS = "reviews", "Reviews the deal"
    # A market study that looks at the deal among others (the FTC's 6(b) study).
    COVERS = "covers", "Covers the deal"
    # A proceeding about something else whose remedy would touch the deal (a remedy proposal).
    REACHES = "reaches", "Reaches the deal"
    RELATED = "related", "Related"


class EventKind(models.TextChoices):
    STATUS_CHANGE = "status_change", "Status change"
    FILING = "filing", "Filing"
    DECISION = "decision", "Decision"
    DEADLINE = "deadline", "Deadline"
    HEARING = "hearing", "Hearing"
    STATEMENT = "statement", "Statement"
    NEWS = "news", "News"
    INVESTMENT = "investment", "Investment"
    # Court events, sourced from the docket.
    COMPLAINT = "complaint", "Complaint"
    OPINION = "opinion", "Opinion"
    JUDGMENT = "judgment", "Judgment"
    APPEAL = "appeal", "Appeal"


class Outcome(models.TextChoices):
    """How a proceeding ended, apart from its status; the regulator's own words are kept beside it."""

    CLEARED = "cleared", "Cleared"
    CLEARED_WITH_REMEDIES = "cleared_with_remedies", "Cleared with remedies"
    PROHIBITED = "prohibited", "Prohibited"
    ABANDONED = "abandoned", "Abandoned by the parties"
    NOT_QUALIFYING = "not_qualifying", "Not qualifying / no jurisdiction"
    REFERRED = "referred", "Referred to another authority"
    STUDY_CONCLUDED = "study_concluded", "Study concluded"
    SETTLED = "settled", "Settled / consent decree"
    JUDGMENT = "judgment", "Judgment"
    NO_ACTION = "no_action", "Closed without action"
    # A penalty decision (EUMR Art. 14: implementing a deal before clearance).
    FINED = "fined", "Fine imposed"


class SourceType(models.TextChoices):
    REGULATOR = "regulator", "Regulator"
    COURT = "court", "Court"
    COMPANY = "company", "Company"
    PRESS = "press", "Press"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class AmountBasis(models.TextChoices):
    """What a sum of money is: an announced ceiling, a commitment, money paid in, or a
    figure only the press reports."""

    UP_TO = "up_to", "Up to (announced ceiling)"
    COMMITTED = "committed", "Committed"
    FUNDED = "funded", "Funded"
    REPORTED = "reported", "Reported by the press"


class DeadlineKind(models.TextChoices):
    STATUTORY = "statutory", "Statutory (computed from the rules)"
    PROVISIONAL = "provisional", "Provisional (computed; holiday data or inputs not yet confirmed)"
    ESTIMATED = "estimated", "Estimated"
    MANUAL = "manual", "Set by hand"
    # The review's deadline as the regulator published it; its period keeps our count beside.
    PUBLISHED = "published", "Published by the regulator"


class PeriodState(models.TextChoices):
    """Where a statutory period stands. Running and stopped periods are current; the others are history."""

    RUNNING = "running", "Running"
    STOPPED = "stopped", "Clock stopped"
    MET = "met", "Met (decided in time)"
    MISSED = "missed", "Missed (passed without a decision)"
    SUPERSEDED = "superseded", "Superseded (recomputed or set again)"
    WITHDRAWN = "withdrawn", "Withdrawn (the phase ended without a decision on it)"


# What a regulator or court did is sourced from the regulator or the court (DESIGN: provenance).
OFFICIAL_SOURCES = frozenset({SourceType.REGULATOR, SourceType.COURT})
# Events that record what a regulator or court decided, sourced like a status change.
OFFICIAL_KINDS = frozenset(
    {EventKind.STATUS_CHANGE, EventKind.DECISION, EventKind.OPINION, EventKind.JUDGMENT}
)
