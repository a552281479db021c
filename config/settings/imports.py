"""Registry imports."""

import os

from .site import SITE_URL

# Registry imports: who we say we are and how politely we ask. Each source reads its own
# settings (where its register is, its schedule, a key) from here or from the environment
# under the names it declares (imports/sources/).
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
