"""Registry imports."""

import os

from .site import SITE_URL

# Registry imports: where the registers are, who we say we are, how politely we ask, and
# when beat runs them (hourly by default; "0" or empty turns a source's schedule off).
GOVUK_API_URL = os.environ.get("GOVUK_API_URL", "https://www.gov.uk").rstrip("/")
FEDERAL_REGISTER_API_URL = os.environ.get(
    "FEDERAL_REGISTER_API_URL", "https://www.federalregister.gov/api/v1"
).rstrip("/")
IMPORTS_CONTACT_URL = os.environ.get("IMPORTS_CONTACT_URL", SITE_URL)
# Requests per second to one registry; 0 turns the limit off (a local benchmark server).
IMPORTS_REQUESTS_PER_SECOND = float(os.environ.get("IMPORTS_REQUESTS_PER_SECOND", "4"))
IMPORTS_TIMEOUT_SECONDS = float(os.environ.get("IMPORTS_TIMEOUT_SECONDS", "20"))
IMPORTS_RETRIES = int(os.environ.get("IMPORTS_RETRIES", "3"))
IMPORTS_BACKOFF_SECONDS = float(os.environ.get("IMPORTS_BACKOFF_SECONDS", "2"))
IMPORTS_MAX_RETRY_AFTER_SECONDS = float(os.environ.get("IMPORTS_MAX_RETRY_AFTER_SECONDS", "300"))
# Items whose content is fetched and parsed ahead, by as many threads, while the run writes the
# one before them (the request rate holds across the threads); 0 reads each in its turn.
IMPORTS_PREFETCH = int(os.environ.get("IMPORTS_PREFETCH", "4"))
IMPORTS_CMA_SCHEDULE = os.environ.get("IMPORTS_CMA_SCHEDULE", "15 * * * *")
IMPORTS_FEDERAL_REGISTER_SCHEDULE = os.environ.get(
    "IMPORTS_FEDERAL_REGISTER_SCHEDULE", "45 * * * *"
)
