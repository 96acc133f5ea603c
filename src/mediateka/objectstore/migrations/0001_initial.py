"""The exposed prefixes, filled with those the receivers before them kept public: public films' media."""

from django.db import migrations, models

PUBLIC = ("published", "unlisted")


def record_exposed(apps, schema_editor):
    from mediateka.objectstore.active import media_storage

    if media_storage() is None:  # nothing was exposed
        return
    db = schema_editor.connection.alias
    Encoding = apps.get_model("video", "Encoding")
    CaptionTrack = apps.get_model("video", "CaptionTrack")
    ExposedPrefix = apps.get_model("objectstore", "ExposedPrefix")
    rows = {
        f"encodings/{prefix}": film_id
        for prefix, film_id in Encoding.objects.using(db)
        .filter(video__film__status__in=PUBLIC)
        .values_list("prefix", "video__film_id")
    }
    for name, film_id in (
        CaptionTrack.objects.using(db).filter(video__film__status__in=PUBLIC).values_list("file", "video__film_id")
    ):
        if name:
            rows["/".join(name.split("/")[:2])] = film_id
    ExposedPrefix.objects.using(db).bulk_create(
        [ExposedPrefix(prefix=prefix, film_id=film_id) for prefix, film_id in rows.items()], batch_size=1000
    )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("video", "0003_upload_outcome_and_pending_original"),
    ]

    operations = [
        migrations.CreateModel(
            name="ExposedPrefix",
            fields=[
                ("prefix", models.CharField(max_length=250, primary_key=True, serialize=False)),
                ("film_id", models.BigIntegerField(db_index=True)),
            ],
            options={
                "verbose_name": "exposed media prefix",
                "verbose_name_plural": "exposed media prefixes",
            },
        ),
        migrations.RunPython(record_exposed, migrations.RunPython.noop),
    ]
