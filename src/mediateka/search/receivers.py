"""Keeps the index in step with the catalogue: the films of each committed change are indexed again.

Indexing waits for the commit (catalogue.changes sends films_changed then), so that a rolled-back
edit never reaches the index and the index never reads rows another transaction cannot see yet.
index.index_films() decides whether each film is (still) listed. A failure to index is logged by
the signal's dispatcher and mended by `reindex`; it neither reports an edit already committed as
failed nor stops the other after-commit work.
"""

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from mediateka.catalogue.changes import films_changed
from mediateka.catalogue.models import Film

from . import index


@receiver(films_changed, dispatch_uid="search-films-changed")
def reindex_films(sender, film_ids, **kwargs):
    index.index_films(film_ids)


@receiver(pre_delete, sender=Film, dispatch_uid="search-film-deleted")
def film_deleted(sender, instance, **kwargs):
    # The document goes with its film in the deleting transaction (ON DELETE CASCADE), before
    # films_changed is sent: its terms must leave the vocabulary in that transaction too.
    index.forget([instance.pk])
