# Apart from the data migration (0008): PostgreSQL does not build an index in a
# transaction that still has deferred constraint checks pending from its updates.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tracker", "0010_clock_phases")]

    operations = [
        migrations.AddConstraint(
            model_name="review",
            constraint=models.UniqueConstraint(
                condition=models.Q(("reference", ""), _negated=True),
                fields=("regulator", "reference"),
                name="review_reference_unique",
            ),
        ),
    ]
