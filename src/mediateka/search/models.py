"""The search index as rows: one document per listed film, and the vocabulary of its terms.

A document holds analysed terms (space-separated ``[a-z0-9]+``), never display text: the
analyser has already merged the three languages and both scripts. The vendor-specific index
over these rows (an FTS5 table on SQLite, a weighted tsvector with GIN on PostgreSQL) is made
by the migration and kept up by the back end, so this module stays the same on both.
"""

import uuid
from collections.abc import Iterable

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from mediateka.catalogue.models import Film

# Facet tokens go in their own column; each starts with a letter naming its dimension so that a
# theme id and a year can never be the same token.
FACET_PREFIXES = {
    "theme": "t",
    "kind": "k",
    "spoken": "s",
    "captions": "c",
    "year": "y",
    "collection": "l",
}


class DocumentTerms:
    """The terms of a document's analysed fields, for the row and for a document being built."""

    title: str
    meta: str
    synopsis: str
    captions: str

    @property
    def terms(self) -> set[str]:
        return set(f"{self.title} {self.meta} {self.synopsis} {self.captions}".split())

    @property
    def title_terms(self) -> set[str]:
        return set(self.title.split())


class SearchDocument(DocumentTerms, models.Model):
    film = models.OneToOneField(Film, on_delete=models.CASCADE, primary_key=True, related_name="+")
    title = models.TextField(blank=True)
    # Themes, collection, project and organisation names: what the film is about and who made it.
    meta = models.TextField(blank=True)
    synopsis = models.TextField(blank=True)
    captions = models.TextField(blank=True)
    facets = models.TextField(blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return f"search document of film {self.film_id}"


class SearchTitle(models.Model):
    """PostgreSQL only: a document's title and facets, in a narrow table of their own.

    A one-word query's first tier (films with the word in their title, backends.tiered) and the
    title masks of a query of several words (search.partial) read these.
    A document row fills most of a page, so ranking the 7,000 titles that hold a common word read
    7,000 pages there; here they share a few hundred. Its tsvector column and GIN index are added on
    PostgreSQL by the migration and written by the back end; on SQLite the table stays empty.
    """

    document = models.OneToOneField(
        SearchDocument, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )

    class Meta:
        verbose_name = _("search title")
        verbose_name_plural = _("search titles")

    def __str__(self) -> str:
        return f"search title of film {self.document_id}"


class SearchTermQuerySet(models.QuerySet):
    def starting_with(self, prefix: str):
        # A range rather than LIKE: it uses the primary key index on both databases whatever
        # their collation; terms are [a-z0-9], and "{" sorts right after "z".
        return self.filter(term__gte=prefix, term__lt=prefix + "{")

    def near_in_length(self, term: str, slack: int = 2):
        return self.filter(length__gte=len(term) - slack, length__lte=len(term) + slack)


class SearchTerm(models.Model):
    """Every term of the index with the number of documents holding it: "did you mean" and suggest
    read this table instead of the index, which neither back end can list cheaply by prefix."""

    term = models.CharField(max_length=64, primary_key=True)
    length = models.PositiveSmallIntegerField()
    films = models.PositiveIntegerField(default=0)

    objects = SearchTermQuerySet.as_manager()

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        # "Did you mean" looks for terms of about the same length that start alike.
        indexes = [models.Index(fields=["length", "term"], name="search_term_length")]

    def __str__(self) -> str:
        return self.term


def _bitmap(mask) -> bytes:
    return int(mask).to_bytes((mask.bit_length() + 7) // 8, "little")


class CommonTerm(models.Model):
    """The films of a term in many documents, as a bitmap (bit n = film n, little-endian bytes).

    Counting facets needs a query's film set as a bit mask (search.masks); for a term in tens of
    thousands of films, asking the index for its films takes 15 to 60 ms, so the bitmap is kept
    here instead, written by `reindex` and patched by every index write in its own transaction.
    """

    term = models.CharField(max_length=64, primary_key=True)
    films = models.BinaryField()
    # The films holding the term in their title: a query of several words whose films holding as
    # many words are too many to read chooses those first (search.partial). Null on rows written
    # before this column was (until the next reindex): the search then asks the index.
    title_films = models.BinaryField(null=True)

    class Meta:
        verbose_name = _("common search term")
        verbose_name_plural = _("common search terms")

    def __str__(self) -> str:
        return self.term

    @property
    def mask(self) -> int:
        return int.from_bytes(self.films, "little")

    @mask.setter
    def mask(self, value) -> None:  # a Python int or a gmpy2 mpz
        self.films = _bitmap(value)

    @property
    def title_mask(self) -> int | None:
        return None if self.title_films is None else int.from_bytes(self.title_films, "little")

    @title_mask.setter
    def title_mask(self, value) -> None:
        self.title_films = _bitmap(value)


class IndexStateQuerySet(models.QuerySet):
    def current_version(self) -> uuid.UUID | None:
        return self.filter(pk=1).values_list("version", flat=True).first()

    def bump(self, film_ids: Iterable[int] | None = None) -> None:
        """A new version; with ``film_ids``, the films whose documents this write changed are
        logged (IndexChange) so that processes can patch their masks instead of rebuilding them.
        Without them (a full reindex) the chain is broken on purpose: every process rebuilds."""
        with transaction.atomic():
            # Locked: two writers each link their change to the version the other left.
            state, _created = self.select_for_update().get_or_create(pk=1)
            previous, state.version = state.version, uuid.uuid4()
            state.save(update_fields=["version"])
            if film_ids is None:
                return
            films = " ".join(map(str, sorted(set(film_ids))))
            change = IndexChange.objects.create(version=state.version, previous=previous, films=films)
            IndexChange.objects.filter(pk__lte=change.pk - IndexChange.KEPT).delete()


class IndexState(models.Model):
    """Changed by every index write, so each process knows when its in-memory facet and term
    masks (search.masks) are stale without comparing the index itself. A random value rather
    than a counter: a rolled-back write must not leave a number that the next write reuses."""

    version = models.UUIDField(default=uuid.uuid4)

    objects = IndexStateQuerySet.as_manager()

    class Meta:
        verbose_name = _("search index state")
        verbose_name_plural = _("search index states")

    def __str__(self) -> str:
        return f"search index version {self.version}"


class IndexChange(models.Model):
    """One index write: the version it made, the version before, and the films it wrote. A process
    whose masks are of a recent version follows these links to the current one and patches the
    masks of the films named, instead of reading every document again (0.8 s at 100,000 films)."""

    KEPT = 200  # the most recent writes; a process further behind rebuilds its masks

    version = models.UUIDField(unique=True)
    previous = models.UUIDField()
    films = models.TextField()  # space-separated film ids

    class Meta:
        verbose_name = _("search index change")
        verbose_name_plural = _("search index changes")

    def __str__(self) -> str:
        return f"search index change to {self.version}"

    @property
    def film_ids(self) -> set[int]:
        return {int(pk) for pk in self.films.split()}


class SynonymSet(models.Model):
    """Words and phrases that mean the same to the people searching, in any of the three languages
    and scripts (ВИЧ / СПИД / HIV / AIDS / ВНМО): a query holding one of them also finds films
    holding the others, below the films holding what was typed. Kept by editors in the admin."""

    members = models.TextField(
        _("words and phrases"),
        help_text=_("One word or phrase per line, in Tajik, Russian or English."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("synonym set")
        verbose_name_plural = _("synonym sets")
        ordering = ["pk"]

    def __str__(self) -> str:
        return " / ".join(self.member_list)[:120]

    @property
    def member_list(self) -> list[str]:
        return list(dict.fromkeys(line.strip() for line in self.members.splitlines() if line.strip()))


@receiver([post_save, post_delete], sender=SynonymSet)
def synonyms_changed(sender, raw=False, **kwargs):
    if raw:
        # Loaded by loaddata (a restored backup): the restore brings its own index state and changes.
        return
    # A new index version without any film written: processes keep their facet masks (patched with
    # nothing) but drop their term masks and synonyms, and the API's cached pages go too.
    IndexState.objects.bump([])
