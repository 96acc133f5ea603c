"""Keeps what the public may fetch directly in step with films' visibility (see exposure).

The work runs after the commit (films_changed), so that it reads the status that was saved and a
rolled-back edit never touches the bucket.
"""

from django.dispatch import receiver

from mediateka.catalogue.changes import films_changed

from . import exposure


@receiver(films_changed, dispatch_uid="objectstore-films-changed")
def sync_films(sender, film_ids, **kwargs):
    exposure.sync_films(film_ids)
