"""Signal receivers that keep the index in step with the catalogue, after each commit.

Indexing waits for the commit so that a rolled-back edit never reaches the index and the index
never reads rows another transaction cannot see yet. Receivers only collect the ids of the films
affected; index.index_films() decides whether each is (still) listed.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django_tasks.signals import task_finished

from mediateka.catalogue.models import Collection, Credit, Film, Theme
from mediateka.mission.models import Organisation, Participation, Project
from mediateka.video.models import CaptionTrack, Video

from . import index


def reindex_after_commit(film_ids: Iterable[int]) -> None:
    ids = {pk for pk in film_ids if pk is not None}
    if ids:
        # Robust: a failure to index is logged and mended by `reindex`; it must neither report an edit
        # already committed as failed nor stop the other after-commit work (media exposure, jobs).
        transaction.on_commit(lambda: index.index_films(ids), robust=True)


def _films_of(**lookup) -> list[int]:
    return list(Film.objects.filter(**lookup).values_list("pk", flat=True))


@receiver(post_save, sender=Film)
def film_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex_after_commit([instance.pk])


@receiver(pre_delete, sender=Film)
def film_deleted(sender, instance, **kwargs):
    # The document goes with the film in the same transaction (ON DELETE CASCADE), so its
    # terms leave the vocabulary in that transaction too, not after it.
    index.forget([instance.pk])


@receiver(m2m_changed, sender=Film.themes.through)
def film_themes_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            reindex_after_commit([instance.pk])
    elif action in ("post_add", "post_remove"):
        reindex_after_commit(pk_set or ())
    elif action == "pre_clear":  # after the clear, the theme no longer knows its films
        reindex_after_commit(_films_of(themes=instance))


# Records that films point at, with the lookups from a film to them. Their films are found before a
# deletion, which takes the link away.
FILM_LOOKUPS = {
    Theme: ("themes",),
    Collection: ("collection",),
    Project: ("project",),
    Organisation: ("credits__organisation", "project__participations__organisation"),
}


def pointed_at_changed(sender, instance, **kwargs):
    reindex_after_commit([pk for lookup in FILM_LOOKUPS[sender] for pk in _films_of(**{lookup: instance})])


for _model in FILM_LOOKUPS:
    post_save.connect(pointed_at_changed, sender=_model)
    pre_delete.connect(pointed_at_changed, sender=_model)


@receiver([post_save, post_delete], sender=Credit)
@receiver([post_save, post_delete], sender=Video)
def part_of_film_changed(sender, instance, **kwargs):
    reindex_after_commit([instance.film_id])


@receiver(post_save, sender=Participation)
@receiver(post_delete, sender=Participation)
def participation_changed(sender, instance, **kwargs):
    reindex_after_commit(_films_of(project_id=instance.project_id))


@receiver(post_save, sender=CaptionTrack)
@receiver(post_delete, sender=CaptionTrack)
def caption_track_changed(sender, instance, **kwargs):
    film_id = Video.objects.filter(pk=instance.video_id).values_list("film_id", flat=True).first()
    reindex_after_commit([film_id])


@receiver(task_finished)
def video_processed(sender, task_result, **kwargs):
    # The pipeline makes a video playable with an UPDATE of its encoding pointer, which sends no
    # model signal; the end of the processing task is when the film's spoken languages change.
    if task_result.task.module_path != "mediateka.video.tasks.process_video" or not task_result.args:
        return
    reindex_after_commit(_films_of(videos__pk=task_result.args[0]))
