"""Status-change notices: subscriptions, webhook endpoints and the deliveries outbox."""
