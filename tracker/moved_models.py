"""For migrations that move models from the tracker app to an app of its own."""


def content_types_follower(to_app: str, models: list[str]):
    """A RunPython pair that moves the models' content types (and so their permissions,
    admin log entries and history) from the tracker app to `to_app`, and back."""

    def move(apps, from_app, target_app):
        ContentType = apps.get_model("contenttypes", "ContentType")
        for model in models:
            if ContentType.objects.filter(app_label=target_app, model=model).exists():
                continue
            ContentType.objects.filter(app_label=from_app, model=model).update(app_label=target_app)

    def forwards(apps, schema_editor):
        move(apps, "tracker", to_app)

    def backwards(apps, schema_editor):
        move(apps, to_app, "tracker")

    return forwards, backwards
