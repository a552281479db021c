"""Fill the new shapes from the old rows.

- Every review covers its own deal (a ReviewDeal row per review).
- Reviews of one regulator that shared a reference were one proceeding recorded once per
  deal (the FTC's 6(b) study, three times): they become one review, the oldest, covering
  every deal. Their events, clock stops, extensions and subscriptions move to it; events
  keep their deal, so each deal's timeline shows what it showed before. A user who
  followed two of the copies keeps one subscription (the deliveries follow it).
- The structured outcome is filled where the status, or the regulator's words, say it.
"""

from django.db import migrations, models

# A closing status that names its outcome.
OUTCOME_OF_STATUS = {
    "cleared": "cleared",
    "cleared_with_conditions": "cleared_with_remedies",
    "prohibited": "prohibited",
    "abandoned": "abandoned",
}
# A review closed without a decision: its outcome read from the regulator's words.
OUTCOME_OF_WORDS = (
    ("not qualify", "not_qualifying"),
    ("not to qualify", "not_qualifying"),
    ("jurisdiction", "not_qualifying"),
    ("refer", "referred"),
    ("study", "study_concluded"),
    ("report", "study_concluded"),
    ("6(b)", "study_concluded"),
    ("consent", "settled"),
    ("settle", "settled"),
    ("judgment", "judgment"),
)


def outcome_of_words(wording: str) -> str:
    words = wording.lower()
    return next((outcome for needle, outcome in OUTCOME_OF_WORDS if needle in words), "")


def forwards(apps, schema_editor):
    Review = apps.get_model("tracker", "Review")
    ReviewDeal = apps.get_model("tracker", "ReviewDeal")
    Event = apps.get_model("tracker", "Event")
    ClockStop = apps.get_model("tracker", "ClockStop")
    DeadlineExtension = apps.get_model("tracker", "DeadlineExtension")
    Subscription = apps.get_model("notices", "Subscription")
    Delivery = apps.get_model("notices", "Delivery")

    ReviewDeal.objects.bulk_create(
        (
            ReviewDeal(review_id=pk, deal_id=deal_id)
            for pk, deal_id in Review.objects.values_list("pk", "deal_id")
        ),
        batch_size=1000,
    )

    shared = (
        Review.objects.exclude(reference="")
        .values("regulator_id", "reference")
        .annotate(copies=models.Count("pk"))
        .filter(copies__gt=1)
    )
    for group in shared:
        copies = list(
            Review.objects.filter(
                regulator_id=group["regulator_id"], reference=group["reference"]
            ).order_by("pk")
        )
        survivor, others = copies[0], copies[1:]
        for other in others:
            ReviewDeal.objects.get_or_create(review_id=survivor.pk, deal_id=other.deal_id)
            Event.objects.filter(review_id=other.pk).update(review_id=survivor.pk)
            ClockStop.objects.filter(review_id=other.pk).update(review_id=survivor.pk)
            DeadlineExtension.objects.filter(review_id=other.pk).update(review_id=survivor.pk)
            for sub in Subscription.objects.filter(review_id=other.pk):
                kept = Subscription.objects.filter(
                    user_id=sub.user_id, review_id=survivor.pk
                ).first()
                if kept is None:
                    sub.review_id = survivor.pk
                    sub.save(update_fields=["review"])
                else:
                    Delivery.objects.filter(subscription_id=sub.pk).update(subscription_id=kept.pk)
                    sub.delete()
            other.delete()

    # One UPDATE per outcome, not one per review: a large register migrates in a few statements.
    for status, outcome in OUTCOME_OF_STATUS.items():
        Review.objects.filter(status=status).update(outcome=outcome)
    closed: dict[str, list[int]] = {}
    for pk, wording in (
        Review.objects.filter(status="closed").values_list("pk", "outcome_wording").iterator()
    ):
        closed.setdefault(outcome_of_words(wording), []).append(pk)
    for outcome, pks in closed.items():
        for start in range(
            0, len(pks) if outcome else 0, 500
        ):  # within SQLite's bound-parameter limit
            Review.objects.filter(pk__in=pks[start : start + 500]).update(outcome=outcome)


def backwards(apps, schema_editor):
    # The merged copies are not recreated: the deals stay linked to the one proceeding.
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0007_proceedings"),
        ("notices", "0002_own_tables"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
