"""Notices: status changes sent by email and signed webhook through the deliveries outbox."""

import os

from .environment import env_bool, env_list

NOTICES_MAX_ATTEMPTS = int(os.environ.get("NOTICES_MAX_ATTEMPTS", "8"))
# Wait before attempt n+1: base * factor**(n-1), +/- jitter. 30 s x 3.5 spreads 8 attempts over ~a day.
NOTICES_RETRY_BASE_SECONDS = float(os.environ.get("NOTICES_RETRY_BASE_SECONDS", "30"))
NOTICES_RETRY_FACTOR = float(os.environ.get("NOTICES_RETRY_FACTOR", "3.5"))
NOTICES_RETRY_JITTER = float(os.environ.get("NOTICES_RETRY_JITTER", "0.2"))
# A worker holds a claimed delivery this long (renewed every half lease while its batch
# runs); after that another may take it over. With the re-enqueue interval this bounds
# how long a killed worker's deliveries wait: lease + interval, two minutes by default.
NOTICES_CLAIM_LEASE_SECONDS = float(os.environ.get("NOTICES_CLAIM_LEASE_SECONDS", "60"))
# Retries due within this many seconds are scheduled on the broker; later ones by the re-enqueue.
NOTICES_MAX_COUNTDOWN_SECONDS = float(os.environ.get("NOTICES_MAX_COUNTDOWN_SECONDS", "600"))
NOTICES_REQUEUE_INTERVAL_SECONDS = float(os.environ.get("NOTICES_REQUEUE_INTERVAL_SECONDS", "60"))
# A pending delivery this far past due is taken to have lost its task message.
NOTICES_REQUEUE_GRACE_SECONDS = float(os.environ.get("NOTICES_REQUEUE_GRACE_SECONDS", "60"))
# Above this many deliveries for one event, a worker publishes their tasks, not the request.
NOTICES_FANOUT_IN_WORKER_ABOVE = int(os.environ.get("NOTICES_FANOUT_IN_WORKER_ABOVE", "50"))
NOTICES_REQUEUE_BATCH = int(os.environ.get("NOTICES_REQUEUE_BATCH", "5000"))
# Deliveries per worker task: one claim query, one SMTP connection and one HTTP connection per receiver per batch.
NOTICES_BATCH_SIZE = int(os.environ.get("NOTICES_BATCH_SIZE", "250"))
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "5"))
# Webhook targets: https only and public addresses only, unless these allow more (tests, local runs).
WEBHOOK_ALLOW_HTTP = env_bool("WEBHOOK_ALLOW_HTTP", False)
# The ports a webhook on a public host may use (comma-separated).
WEBHOOK_ALLOWED_PORTS = [int(port) for port in env_list("WEBHOOK_ALLOWED_PORTS", "443")]
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)

# How long an unsubscribe link in an email works; an older one offers to send a fresh link.
UNSUBSCRIBE_LINK_MAX_AGE_DAYS = int(os.environ.get("UNSUBSCRIBE_LINK_MAX_AGE_DAYS", "90"))
