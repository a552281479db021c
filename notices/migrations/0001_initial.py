"""The notices models, moved out of the tracker app with their tables and rows."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import notices.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("regulators", "0001_initial"),
        ("tracker", "0005_review_regulator_opened_idx"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables exist: the tracker app created them before this app had its own label.
        # This only tells Django's model state where they are; 0002 renames them.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Subscription",
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
                        ("by_email", models.BooleanField(default=True, verbose_name="email")),
                        (
                            "by_webhook",
                            models.BooleanField(
                                default=False,
                                help_text="Sent to every active endpoint of the user.",
                                verbose_name="webhook",
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
                                default="immediate",
                                max_length=10,
                            ),
                        ),
                        (
                            "event_kinds",
                            models.JSONField(
                                blank=True,
                                default=list,
                                help_text="Event kinds to be told about; empty means status changes and decisions.",
                                validators=[notices.models.validate_event_kinds],
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "deal",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="subscriptions",
                                to="tracker.deal",
                            ),
                        ),
                        (
                            "regulator",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="subscriptions",
                                to="regulators.regulator",
                            ),
                        ),
                        (
                            "review",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="subscriptions",
                                to="tracker.review",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="subscriptions",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "tracker_subscription",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="WebhookEndpoint",
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
                        ("url", models.URLField(max_length=500, verbose_name="URL")),
                        ("description", models.CharField(blank=True, max_length=200)),
                        (
                            "secret",
                            models.CharField(
                                default=notices.models.generate_webhook_secret,
                                editable=False,
                                max_length=100,
                            ),
                        ),
                        ("is_active", models.BooleanField(default=True)),
                        (
                            "consecutive_failures",
                            models.PositiveIntegerField(default=0, editable=False),
                        ),
                        (
                            "disabled_at",
                            models.DateTimeField(blank=True, editable=False, null=True),
                        ),
                        (
                            "disabled_reason",
                            models.CharField(blank=True, editable=False, max_length=300),
                        ),
                        (
                            "owner_notified_at",
                            models.DateTimeField(
                                blank=True,
                                editable=False,
                                help_text="When the owner was told it was disabled.",
                                null=True,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="webhook_endpoints",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "tracker_webhookendpoint",
                        "verbose_name": "webhook endpoint",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="Delivery",
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
                        ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        (
                            "kind",
                            models.CharField(
                                choices=[("notice", "Notice of an event"), ("ping", "Test ping")],
                                default="notice",
                                max_length=10,
                            ),
                        ),
                        (
                            "channel",
                            models.CharField(
                                choices=[("email", "Email"), ("webhook", "Webhook")], max_length=10
                            ),
                        ),
                        (
                            "state",
                            models.CharField(
                                choices=[
                                    ("pending", "Pending"),
                                    ("sending", "Sending"),
                                    ("delivered", "Delivered"),
                                    ("failed", "Failed (gave up)"),
                                    ("cancelled", "Cancelled"),
                                ],
                                default="pending",
                                max_length=10,
                            ),
                        ),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("next_attempt_at", models.DateTimeField(blank=True, null=True)),
                        ("claimed_until", models.DateTimeField(blank=True, null=True)),
                        (
                            "last_status_code",
                            models.PositiveSmallIntegerField(blank=True, null=True),
                        ),
                        ("last_error", models.CharField(blank=True, max_length=500)),
                        ("delivered_at", models.DateTimeField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "event",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="deliveries",
                                to="tracker.event",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="deliveries",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "subscription",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="deliveries",
                                to="notices.subscription",
                            ),
                        ),
                        (
                            "endpoint",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="deliveries",
                                to="notices.webhookendpoint",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "tracker_delivery",
                        "verbose_name_plural": "deliveries",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="DeliveryAttempt",
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
                        ("number", models.PositiveSmallIntegerField()),
                        ("started_at", models.DateTimeField()),
                        ("duration_ms", models.PositiveIntegerField()),
                        ("succeeded", models.BooleanField()),
                        ("status_code", models.PositiveSmallIntegerField(blank=True, null=True)),
                        ("error", models.CharField(blank=True, max_length=500)),
                        (
                            "delivery",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="attempt_log",
                                to="notices.delivery",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "tracker_deliveryattempt",
                        "ordering": ["delivery", "number"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("delivery", "number"), name="delivery_attempt_number_unique"
                            )
                        ],
                    },
                ),
                migrations.AddIndex(
                    model_name="subscription",
                    index=models.Index(fields=["frequency"], name="subscription_frequency_idx"),
                ),
                migrations.AddConstraint(
                    model_name="subscription",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("by_email", True), ("by_webhook", True), _connector="OR"
                        ),
                        name="subscription_has_a_channel",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="subscription",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("frequency__in", ["immediate", "daily", "weekly"])),
                        name="subscription_frequency_valid",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="subscription",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("deal__isnull", True), ("regulator__isnull", True)),
                            models.Q(("deal__isnull", True), ("review__isnull", True)),
                            models.Q(("regulator__isnull", True), ("review__isnull", True)),
                            _connector="OR",
                        ),
                        name="subscription_one_target",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="subscription",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("deal__isnull", False)),
                        fields=("user", "deal"),
                        name="subscription_unique_deal",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="subscription",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("regulator__isnull", False)),
                        fields=("user", "regulator"),
                        name="subscription_unique_regulator",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="subscription",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("review__isnull", False)),
                        fields=("user", "review"),
                        name="subscription_unique_review",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="subscription",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(
                            ("deal__isnull", True),
                            ("regulator__isnull", True),
                            ("review__isnull", True),
                        ),
                        fields=("user",),
                        name="subscription_unique_everything",
                    ),
                ),
                migrations.AddIndex(
                    model_name="delivery",
                    index=models.Index(
                        fields=["state", "next_attempt_at"], name="delivery_state_due_idx"
                    ),
                ),
                migrations.AddIndex(
                    model_name="delivery",
                    index=models.Index(
                        fields=["user", "created_at"], name="delivery_user_created_idx"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="delivery",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            (
                                "state__in",
                                ["pending", "sending", "delivered", "failed", "cancelled"],
                            )
                        ),
                        name="delivery_state_valid",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="delivery",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("channel", "email"), ("endpoint__isnull", True)),
                            models.Q(("channel", "webhook"), ("endpoint__isnull", False)),
                            _connector="OR",
                        ),
                        name="delivery_channel_target",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="delivery",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("kind", "ping"), ("event__isnull", False), _connector="OR"
                        ),
                        name="delivery_notice_has_event",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="delivery",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("channel", "email"), ("kind", "notice")),
                        fields=("event", "user"),
                        name="delivery_one_email_per_event_user",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="delivery",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("channel", "webhook"), ("kind", "notice")),
                        fields=("event", "endpoint"),
                        name="delivery_one_webhook_per_event_endpoint",
                    ),
                ),
            ],
        ),
    ]
