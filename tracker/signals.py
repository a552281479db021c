"""The core's extension points: apps above the core listen here; the core never imports them."""

from django.dispatch import Signal

# Sent with `event` (saved) for every event the core records: by the transition service for a
# status change, and by `record_event` for every other event (a decision, a filing, a court
# event; from the admin, the API or an import), inside the transaction that writes it, after
# every other write. A receiver that writes (the notices outbox) commits or rolls back with
# the event; anything that leaves the database (a task, an email) belongs in
# `transaction.on_commit`, so a rolled-back change sends nothing. A receiver that raises
# aborts the write. `notify` is False for history (a registry's past imported for the first
# time, an editor's back-filled entry): it is recorded, not announced.
event_recorded = Signal()
