"""The reviews list's order with what a search tests on each row: a search for a common
word (`reviews/?q=cleared`) walks the list in its order until a page of rows match, and
from this index it tests each row's words, reference and docket number without reading
the row (an index-only scan). On the full bench data the walk for `cleared` went from
3.2-5.7 ms (1,557 pages read for 2,876 rows tested) to 1.6-2.5 ms. The plain order's
index (review_opened_id_idx, 0014) stays: `page=2000` reads 100,000 entries of it, and
these are 2.4 times larger (10 MB against 4.2 MB). Built CONCURRENTLY, as 0014's; PostgreSQL only.
"""

from django.db import migrations

from ._concurrent_indexes import built_concurrently

INDEXES = {
    "review_search_walk_idx": "tracker_review (opened_on, id) INCLUDE (search_document, reference, docket_number)",
}


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("tracker", "0016_event_investment_index")]

    operations = [built_concurrently(INDEXES)]
