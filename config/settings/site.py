"""The public site: its address and how long rendered pages and API reads are cached."""

import os

# Public base URL, used for links in emails and feeds.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# How long a rendered public page is kept in the cache under its ETag (0: render every time).
PAGES_RENDER_CACHE_SECONDS = int(os.environ.get("PAGES_RENDER_CACHE_SECONDS", "300"))
# How long the API keeps the JSON of a public read under the data version (0: build every time).
API_RESPONSE_CACHE_SECONDS = int(os.environ.get("API_RESPONSE_CACHE_SECONDS", "300"))
