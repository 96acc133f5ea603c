"""News of changes that alter reach, passed to the rollup (outreach listens to catalogue, not the reverse)."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from mediateka.catalogue.changes import films_changed

from . import rollup
from .models import Screening, ScreeningFilm


@receiver(pre_save, sender=Screening)
def _remember_old_bucket(sender, instance, raw=False, **kwargs):
    instance._old_bucket = None
    if raw or not instance.pk:
        return
    old = Screening.objects.filter(pk=instance.pk).values("date", "region", "is_sample").first()
    if old:
        instance._old_bucket = (old["date"].replace(day=1), old["region"], old["is_sample"])


@receiver(post_save, sender=Screening)
@receiver(post_delete, sender=Screening)
def _screening_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    buckets = {rollup.bucket_of(instance)}
    if getattr(instance, "_old_bucket", None):
        buckets.add(instance._old_bucket)
    rollup.mark(buckets)


@receiver(post_save, sender=ScreeningFilm)
@receiver(post_delete, sender=ScreeningFilm)
def _showing_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    screening = Screening.objects.filter(pk=instance.screening_id).first()
    if screening:  # gone when the delete cascades from the screening, which refreshes itself
        rollup.mark({rollup.bucket_of(screening)})


@receiver(m2m_changed, sender=ScreeningFilm)
def _films_shown_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:  # screening.films.set(...): that screening's bucket
        if action in ("post_add", "post_remove", "post_clear"):
            rollup.mark({rollup.bucket_of(instance)})
        return
    screenings = (
        Screening.objects.filter(pk__in=pk_set) if pk_set else Screening.objects.filter(films=instance)
    )
    if action == "pre_clear":
        instance._reach_buckets = rollup.buckets_of(screenings)
    elif action == "post_clear":
        rollup.mark(getattr(instance, "_reach_buckets", set()))
    elif action in ("post_add", "post_remove"):
        rollup.mark(rollup.buckets_of(screenings))


@receiver(films_changed, dispatch_uid="outreach-films-changed")
def _films_changed(sender, film_ids, **kwargs):
    # A film's project and themes say where its reach is counted, so the buckets of its screenings
    # are counted again: most edits move nothing, but telling which do would cost as much.
    if film_ids:
        rollup.mark(rollup.buckets_of(Screening.objects.filter(films__in=film_ids)))
