"""Keeps what the public may fetch directly in step with films' visibility (see exposure).

The work runs after the transaction commits, so that it reads the status that was saved, and a
rolled-back edit never touches the bucket.
"""

from django.db import transaction
from django.db.models.signals import post_save, pre_delete, pre_save
from django.dispatch import receiver

from mediateka.catalogue.models import Film
from mediateka.video.models import CaptionTrack, Encoding

from . import exposure
from .active import media_storage


@receiver(pre_save, sender=Film, dispatch_uid="objectstore.film_visibility_before")
def _remember_visibility(sender, instance: Film, raw=False, **kwargs):
    if raw or media_storage() is None:
        return
    before = Film.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
    instance._was_public = before is not None and Film(status=before).is_public


@receiver(post_save, sender=Film, dispatch_uid="objectstore.film_visibility")
def _film_saved(sender, instance: Film, raw=False, **kwargs):
    if raw or media_storage() is None:
        return
    if getattr(instance, "_was_public", None) != instance.is_public:
        film_id = instance.pk
        transaction.on_commit(lambda: exposure.sync_film(film_id))


@receiver(post_save, sender=CaptionTrack, dispatch_uid="objectstore.caption_saved")
def _caption_saved(sender, instance: CaptionTrack, raw=False, **kwargs):
    if raw or media_storage() is None or not instance.file:
        return
    prefix = exposure.caption_prefix(instance.file)
    transaction.on_commit(lambda: exposure.sync_prefix(prefix))


@receiver(pre_delete, sender=Encoding, dispatch_uid="objectstore.encoding_deleted")
@receiver(pre_delete, sender=CaptionTrack, dispatch_uid="objectstore.caption_deleted")
def _media_deleted(sender, instance, **kwargs):
    # Files whose row goes (a deleted film or video) must not stay readable in the bucket or tree.
    if media_storage() is None:
        return
    if isinstance(instance, Encoding):
        prefix = instance.storage_dir
    elif instance.file:
        prefix = exposure.caption_prefix(instance.file)
    else:
        return
    transaction.on_commit(lambda: exposure.set_visibility(prefix, public=False))
