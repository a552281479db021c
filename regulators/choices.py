from django.db import models


class Calendar(models.TextChoices):
    """Holiday calendars that a regulator's working days are counted on."""

    ENGLAND_WALES = "GB-ENG", "England and Wales bank holidays"
    EU_COMMISSION = "EU-COM", "European Commission holidays"
    US_FEDERAL = "US-FED", "US federal holidays (5 U.S.C. 6103)"
    GERMANY = "DE", "German public holidays"
    FRANCE = "FR", "French public holidays"
    NONE = "NONE", "Weekends only"


class DeadlinePhase(models.TextChoices):
    """The stages a deadline rule is written for (see deadline_rules.py)."""

    PHASE_1 = "phase_1", "Phase 1"
    PHASE_2 = "phase_2", "Phase 2"
    HSR_INITIAL = "hsr_initial", "HSR initial waiting period"
    HSR_SECOND_REQUEST = "hsr_second_request", "HSR waiting period after a second request"


class DeadlineUnit(models.TextChoices):
    WORKING_DAYS = "working_days", "working days"
    CALENDAR_DAYS = "calendar_days", "calendar days"
    WEEKS = "weeks", "weeks"


class DayOne(models.TextChoices):
    """Which day counts as day 1 of a period, given the day of the triggering act."""

    SAME_DAY = "same_day", "the day of the act itself"
    NEXT_DAY = "next_day", "the day after the act"
    NEXT_WORKING_DAY = "next_working_day", "the first working day after the act"
