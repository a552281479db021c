"""The notices tables take this app's names (a rename: every row stays), and the content
types follow, so permissions, admin history and log entries stay attached."""

from django.db import migrations

from tracker.moved_models import content_types_follower

MODELS = ["subscription", "webhookendpoint", "delivery", "deliveryattempt"]


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0001_initial"),
        ("tracker", "0006_notices_and_digests_to_their_apps"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="Subscription", table=None),
        migrations.AlterModelTable(name="WebhookEndpoint", table=None),
        migrations.AlterModelTable(name="Delivery", table=None),
        migrations.AlterModelTable(name="DeliveryAttempt", table=None),
        migrations.RunPython(*content_types_follower("notices", MODELS)),
    ]
