"""Subscriptions, webhook endpoints, deliveries, digests and calendar feeds now belong to
the notices and digests apps. Their tables stay where they are (those apps take them
over in their first migration); only Django's record of whose models they are changes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0005_review_regulator_opened_idx"),
        ("notices", "0001_initial"),
        ("digests", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="DeliveryAttempt"),
                migrations.DeleteModel(name="Delivery"),
                migrations.DeleteModel(name="Subscription"),
                migrations.DeleteModel(name="WebhookEndpoint"),
                migrations.DeleteModel(name="Digest"),
                migrations.DeleteModel(name="CalendarFeed"),
            ],
        ),
    ]
