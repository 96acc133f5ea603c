"""News of changes that alter reach, passed to the rollup (outreach listens to catalogue, not the reverse)."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from mediateka.catalogue.models import Film

from . import rollup
from .models import Broadcast, ReachState, Screening, ScreeningFilm


@receiver(post_save, sender=Broadcast)
@receiver(post_delete, sender=Broadcast)
def _broadcast_changed(sender, raw=False, **kwargs):
    # The reach pages sum broadcasts straight from their table, not from the rollup.
    if not raw:
        ReachState.bump()


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


# A film's project and themes say where its reach is counted. These two follow them in the writing
# transaction rather than through catalogue.changes.films_changed, which names the films touched but
# not what changed: recounting the buckets of every edited film's screenings would cost a rebuild of
# the rollup per title edit at the benchmark's million screenings (a film shows in most buckets).
@receiver(pre_save, sender=Film)
def _remember_film_project(sender, instance, raw=False, **kwargs):
    instance._old_project_id = None
    if not raw and instance.pk:
        instance._old_project_id = (
            Film.objects.filter(pk=instance.pk).values_list("project_id", flat=True).first()
        )


@receiver(post_save, sender=Film)
def _film_project_changed(sender, instance, created, raw=False, **kwargs):
    # Only a change of project moves reach between cells; most saves of a film do not.
    if raw or created or instance._old_project_id == instance.project_id:
        return
    rollup.mark(rollup.buckets_of(Screening.objects.filter(films=instance)))


@receiver(m2m_changed, sender=Film.themes.through)
def _film_themes_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse:  # theme.films.add(...)
        films = Film.objects.filter(pk__in=pk_set) if pk_set else Film.objects.filter(themes=instance)
    else:
        films = [instance]
    if action == "pre_clear":  # after the clear, nothing says which films had the theme
        instance._reach_buckets = rollup.buckets_of(Screening.objects.filter(films__in=films))
    elif action == "post_clear":
        rollup.mark(getattr(instance, "_reach_buckets", set()))
    elif action in ("post_add", "post_remove"):
        rollup.mark(rollup.buckets_of(Screening.objects.filter(films__in=films)))
