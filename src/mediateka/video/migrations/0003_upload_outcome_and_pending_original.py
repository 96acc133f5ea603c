"""Uploads name their film and language (a version is made only for a file that passed its checks),
keep their outcome and their writer's claim; a version keeps a replacement apart until it plays."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def name_film_and_outcome(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # The rows' new foreign keys are checked now, not at the commit: PostgreSQL may refuse to
        # alter a table with deferred checks pending (Django's docs warn), and film becomes NOT NULL.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    Upload = apps.get_model("video", "Upload")
    for upload in Upload.objects.select_related("video"):
        upload.film_id = upload.video.film_id
        upload.language = upload.video.language
        if upload.completed_at is not None:  # ended in the request, before outcomes were kept
            failed = upload.video.status == "failed"
            upload.state = "refused" if failed else "accepted"
            upload.reason = upload.video.error if failed else ""
        upload.save(update_fields=["film", "language", "state", "reason"])
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
        ("video", "0002_alter_video_error"),
    ]

    operations = [
        migrations.AddField(
            model_name="video",
            name="pending_original",
            field=models.CharField(blank=True, editable=False, max_length=300, verbose_name="replacement file"),
        ),
        migrations.AddField(
            model_name="video",
            name="pending_original_name",
            field=models.CharField(blank=True, max_length=255, verbose_name="replacement file name"),
        ),
        migrations.AddField(
            model_name="video",
            name="pending_original_size",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="replacement size (bytes)"),
        ),
        migrations.AddField(
            model_name="video",
            name="pending_sha256",
            field=models.CharField(blank=True, max_length=64, verbose_name="replacement SHA-256"),
        ),
        migrations.AddField(
            model_name="upload",
            name="film",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="uploads",
                to="catalogue.film",
            ),
        ),
        migrations.AddField(
            model_name="upload",
            name="language",
            field=models.CharField(
                choices=[("tg", "Tajik"), ("ru", "Russian"), ("en", "English"), ("uz", "Uzbek"), ("zxx", "No speech")],
                default="",
                max_length=3,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="upload",
            name="state",
            field=models.CharField(
                choices=[
                    ("receiving", "Uploading"),
                    ("checking", "Checking the file"),
                    ("refused", "Refused"),
                    ("accepted", "Accepted"),
                ],
                default="receiving",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="upload",
            name="reason",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="upload",
            name="sha256",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="upload",
            name="stored_as",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="upload",
            name="writer",
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.AddField(
            model_name="upload",
            name="writing_since",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="upload",
            name="touched_at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.RunPython(name_film_and_outcome, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="upload",
            name="film",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="uploads", to="catalogue.film"
            ),
        ),
        migrations.RemoveField(
            model_name="upload",
            name="video",
        ),
    ]
