"""The search and deep-page indexes, built CONCURRENTLY so a live table keeps taking
writes while they build (hence a migration outside a transaction). PostgreSQL only:
GIN and trigram indexes do not exist elsewhere, and the model state does not carry
them, so a table SQLite rebuilds never tries to recreate them.

Fragment indexes are on UPPER(column::text), the expression Django's `icontains`
compiles to, so `reference__icontains="ME/70"` is answered from the index.
"""

from django.db import migrations

from ._concurrent_indexes import built_concurrently

INDEXES = {
    "party_search_idx": "tracker_party USING gin (search_document)",
    "deal_search_idx": "tracker_deal USING gin (search_document)",
    "review_search_idx": "tracker_review USING gin (search_document)",
    "event_search_idx": "tracker_event USING gin (search_document)",
    "party_name_trgm_idx": "tracker_party USING gin (UPPER(name::text) gin_trgm_ops)",
    "party_slug_trgm_idx": "tracker_party USING gin (UPPER(slug::text) gin_trgm_ops)",
    "party_aliases_trgm_idx": "tracker_party USING gin (UPPER(aliases::text) gin_trgm_ops)",
    "deal_title_trgm_idx": "tracker_deal USING gin (UPPER(title::text) gin_trgm_ops)",
    "review_reference_trgm_idx": "tracker_review USING gin (UPPER(reference::text) gin_trgm_ops)",
    "review_docket_trgm_idx": "tracker_review USING gin (UPPER(docket_number::text) gin_trgm_ops)",
    # Deep pages of the reviews list: the page's ids from this index alone (an
    # index-only scan in list order), then only those rows are read.
    "review_opened_id_idx": "tracker_review (opened_on, id)",
}


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("tracker", "0013_search_documents")]

    operations = [built_concurrently(INDEXES)]
