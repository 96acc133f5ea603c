"""The catalogue version moves to the catalogue app, with its row: the table is renamed, not copied."""

from django.db import migrations


def move_content_type(apps, schema_editor, old="api", new="catalogue"):
    # Keeps the permissions already granted on the model: they hang on its content type.
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label=old, model="cataloguestate"
    ).update(app_label=new)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, old="catalogue", new="api")


class Migration(migrations.Migration):

    dependencies = [
        ("api", "0002_catalogue_changed_at"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="cataloguestate", table="catalogue_cataloguestate"),
            ],
            state_operations=[migrations.DeleteModel(name="CatalogueState")],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
