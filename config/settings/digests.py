"""Digests."""

import os

# Digests: when beat sends them (in TIME_ZONE), how many users a worker task takes, and
# how many working days ahead their deadlines reach.
DIGESTS_DAILY_SCHEDULE = os.environ.get("DIGESTS_DAILY_SCHEDULE", "0 7 * * *")
DIGESTS_WEEKLY_SCHEDULE = os.environ.get("DIGESTS_WEEKLY_SCHEDULE", "0 7 * * mon")
DIGEST_BATCH_SIZE = int(os.environ.get("DIGEST_BATCH_SIZE", "500"))
DIGEST_CLAIM_LEASE_SECONDS = float(os.environ.get("DIGEST_CLAIM_LEASE_SECONDS", "900"))
DIGEST_DEADLINE_WORKING_DAYS = int(os.environ.get("DIGEST_DEADLINE_WORKING_DAYS", "10"))
