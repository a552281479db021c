"""The digests models, moved out of the tracker app with their tables and rows."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import digests.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("tracker", "0005_review_regulator_opened_idx"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables exist: the tracker app created them before this app had its own label.
        # This only tells Django's model state where they are; 0002 renames them.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CalendarFeed",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "token",
                            models.CharField(
                                default=digests.models.generate_feed_token,
                                editable=False,
                                max_length=64,
                                unique=True,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now=True)),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="calendar_feed",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={"db_table": "tracker_calendarfeed"},
                ),
                migrations.CreateModel(
                    name="Digest",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "frequency",
                            models.CharField(
                                choices=[
                                    ("immediate", "Immediately"),
                                    ("daily", "Daily digest"),
                                    ("weekly", "Weekly digest"),
                                ],
                                max_length=10,
                            ),
                        ),
                        (
                            "period_start",
                            models.DateField(
                                help_text="The day of a daily digest, the Monday of a weekly one."
                            ),
                        ),
                        (
                            "covered_until",
                            models.DateTimeField(
                                help_text="Events recorded up to this moment are in this digest."
                            ),
                        ),
                        (
                            "state",
                            models.CharField(
                                choices=[
                                    ("pending", "Pending"),
                                    ("sending", "Sending"),
                                    ("sent", "Sent"),
                                    ("empty", "Nothing new: not sent"),
                                    ("failed", "Failed"),
                                ],
                                default="pending",
                                max_length=10,
                            ),
                        ),
                        (
                            "claim_token",
                            models.CharField(blank=True, editable=False, max_length=32),
                        ),
                        (
                            "claimed_until",
                            models.DateTimeField(blank=True, editable=False, null=True),
                        ),
                        ("event_count", models.PositiveIntegerField(default=0)),
                        ("deadline_count", models.PositiveIntegerField(default=0)),
                        ("error", models.CharField(blank=True, max_length=500)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="digests",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "tracker_digest",
                        "ordering": ["-period_start", "user_id"],
                        "indexes": [
                            models.Index(
                                fields=["frequency", "period_start", "state"],
                                name="digest_period_state_idx",
                            ),
                            models.Index(
                                condition=models.Q(("claim_token", ""), _negated=True),
                                fields=["claim_token"],
                                name="digest_claim_idx",
                            ),
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "frequency", "period_start"),
                                name="digest_one_per_user_period",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("frequency__in", ["daily", "weekly"])),
                                name="digest_frequency_valid",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("state__in", ["pending", "sending", "sent", "empty", "failed"])
                                ),
                                name="digest_state_valid",
                            ),
                        ],
                    },
                ),
            ],
        ),
    ]
