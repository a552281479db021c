from django.db import models


class Calendar(models.TextChoices):
    """Holiday calendars that a regulator's working days are counted on."""

    ENGLAND_WALES = "GB-ENG", "England and Wales bank holidays"
    EU_COMMISSION = "EU-COM", "European Commission holidays"
    US_FEDERAL = "US-FED", "US federal holidays (5 U.S.C. 6103)"
    # Public holidays of North Rhine-Westphalia, where the Bundeskartellamt sits (Bonn):
    # the place of the authority decides which Land's holidays end a period (BGB s.193).
    GERMANY = "DE", "German public holidays (North Rhine-Westphalia)"
    FRANCE = "FR", "French public holidays"
    AUSTRALIA_ACT = "AU-ACT", "Australian Capital Territory public holidays"
    NONE = "NONE", "Weekends only"


class DeadlinePhase(models.TextChoices):
    """The stages a deadline rule is written for (see deadline_rules.py)."""

    PHASE_1 = "phase_1", "Phase 1"
    PHASE_2 = "phase_2", "Phase 2"
    HSR_INITIAL = "hsr_initial", "HSR initial waiting period"
    HSR_SECOND_REQUEST = "hsr_second_request", "HSR waiting period after a second request"
    UIL_OFFER = "uil_offer", "Offer of undertakings in lieu of a reference"
    UIL_ACCEPTANCE = "uil_acceptance", "Decision on undertakings in lieu of a reference"
    REFERRAL = "referral", "Referral request"


class DeadlineUnit(models.TextChoices):
    WORKING_DAYS = "working_days", "working days"
    CALENDAR_DAYS = "calendar_days", "calendar days"
    WEEKS = "weeks", "weeks"
    MONTHS = "months", "months"


class DayOne(models.TextChoices):
    """Which day counts as day 1 of a period, given the day of the triggering act."""

    SAME_DAY = "same_day", "the day of the act itself"
    NEXT_DAY = "next_day", "the day after the act"
    NEXT_WORKING_DAY = "next_working_day", "the first working day after the act"
