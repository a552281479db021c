"""The digests tables take this app's names (a rename: every row stays), and the content
types follow, so permissions, admin history and log entries stay attached."""

from django.db import migrations

from tracker.moved_models import content_types_follower

MODELS = ["digest", "calendarfeed"]


class Migration(migrations.Migration):
    dependencies = [
        ("digests", "0001_initial"),
        ("tracker", "0006_notices_and_digests_to_their_apps"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="Digest", table=None),
        migrations.AlterModelTable(name="CalendarFeed", table=None),
        migrations.RunPython(*content_types_follower("digests", MODELS)),
    ]
