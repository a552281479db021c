from django.db import models


class Calendar(models.TextChoices):
    """Holiday calendars that a regulator's working days are counted on."""

    ENGLAND_WALES = "GB-ENG", "England and Wales bank holidays"
    EU_COMMISSION = "EU-COM", "European Commission holidays"
    US_FEDERAL = "US-FED", "US federal holidays (5 U.S.C. 6103)"
    GERMANY = "DE", "German public holidays"
    FRANCE = "FR", "French public holidays"
    NONE = "NONE", "Weekends only"
