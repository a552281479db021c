# Stored search documents (see tracker.search) and the trigram extension their
# indexes need. Adding a stored generated column rewrites the table once; the indexes
# come in 0014, built without blocking writes.

import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

import tracker.search_index


class TrigramExtensionOnPostgres(TrigramExtension):
    """pg_trgm on PostgreSQL; nothing elsewhere, either way (Django's operation checks
    the database only when applied)."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0012_period_kind_blank"),
    ]

    operations = [
        TrigramExtensionOnPostgres(),
        migrations.AddField(
            model_name="deal",
            name="search_document",
            field=models.GeneratedField(
                db_persist=True,
                expression=tracker.search_index.SearchDocument(
                    ("title", "A"), ("summary", "C"), ("sector", "D")
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(null=True),
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="search_document",
            field=models.GeneratedField(
                db_persist=True,
                expression=tracker.search_index.SearchDocument(("title", "A"), ("body", "B")),
                output_field=django.contrib.postgres.search.SearchVectorField(null=True),
            ),
        ),
        migrations.AddField(
            model_name="party",
            name="search_document",
            field=models.GeneratedField(
                db_persist=True,
                expression=tracker.search_index.SearchDocument(("name", "A"), ("aliases", "A")),
                output_field=django.contrib.postgres.search.SearchVectorField(null=True),
            ),
        ),
        migrations.AddField(
            model_name="review",
            name="search_document",
            field=models.GeneratedField(
                db_persist=True,
                expression=tracker.search_index.SearchDocument(
                    ("title", "A"),
                    ("reference", "A"),
                    ("docket_number", "A"),
                    ("stage", "B"),
                    ("outcome", "B"),
                    ("outcome_wording", "B"),
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(null=True),
            ),
        ),
    ]
