"""The core's extension points: apps above the core listen here; the core never imports them."""

from django.dispatch import Signal

# Sent by the transition service with `event` (the status-change event, saved) inside the
# transition's transaction, after every other write. A receiver that writes (the notices
# outbox) commits or rolls back with the change; anything that leaves the database (a
# task, an email) belongs in `transaction.on_commit`, so a rolled-back change sends
# nothing. A receiver that raises aborts the transition. `notify` is False for history
# (a registry's past imported for the first time): it is recorded, not announced.
status_changed = Signal()
