"""The catalogue version, moved here from the api app (whose migration renamed its table)."""

import uuid

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("catalogue", "0001_initial"),
        ("api", "0003_catalogue_state_moves_to_catalogue"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CatalogueState",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("version", models.UUIDField(default=uuid.uuid4)),
                        ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
                    ],
                    options={
                        "verbose_name": "catalogue state",
                        "verbose_name_plural": "catalogue states",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
