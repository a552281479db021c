"""The amounts of each deal's investment events, for the deals' `total_committed`: the
sum per deal is read from this partial index alone (an index-only scan of a few entries)
instead of every event of the deal. On the full bench data the deals list's query went
from 12-18 ms to 0.7 ms. Built CONCURRENTLY, as 0014's, so the events table keeps taking
writes; PostgreSQL only (a small SQLite database needs no help).
"""

from django.db import migrations

from ._concurrent_indexes import built_concurrently

INDEXES = {"event_deal_investment_idx": "tracker_event (deal_id, amount) WHERE kind = 'investment'"}


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("tracker", "0015_event_recorded_as_history")]

    operations = [built_concurrently(INDEXES)]
