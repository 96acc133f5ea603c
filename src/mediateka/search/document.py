"""What the index knows about a film: its analysed text per weighted field, and its facet tokens.

All three languages go into the same fields, each analysed with its own language, so that a
query in any language or script meets the film without knowing which language it was typed in.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.core.files.storage import default_storage
from django.db.models import Prefetch

from mediateka.catalogue.models import Film
from mediateka.mission.translated import LANGUAGES
from mediateka.video.captions import CaptionError, decode_caption_bytes, parse_captions
from mediateka.video.models import CaptionTrack, Video

from .analyser import analyse
from .models import FACET_PREFIXES, DocumentTerms, SearchDocument

log = logging.getLogger(__name__)

TEXT_FIELDS = ("title", "meta", "synopsis", "captions")


@dataclass
class Document(DocumentTerms):
    film_id: int
    title: str
    meta: str
    synopsis: str
    captions: str
    facets: str

    def as_model(self) -> SearchDocument:
        return SearchDocument(
            film_id=self.film_id,
            title=self.title,
            meta=self.meta,
            synopsis=self.synopsis,
            captions=self.captions,
            facets=self.facets,
        )


def films_to_index(film_ids: Iterable[int] | None = None):
    """Listed films with everything a document reads, in a fixed number of queries."""
    films = Film.objects.listed()
    if film_ids is not None:
        films = films.filter(pk__in=list(film_ids))
    playable = Video.objects.playable().prefetch_related(
        Prefetch("captions", queryset=CaptionTrack.objects.order_by("pk"))
    )
    return films.select_related("collection", "project").prefetch_related(
        "themes",
        "credits__organisation",
        "project__participations__organisation",
        Prefetch("videos", queryset=playable, to_attr="playable_videos"),
    )


def _translations(obj, field: str) -> Iterable[tuple[str, str]]:
    for language in LANGUAGES:
        text = getattr(obj, f"{field}_{language}", None)
        if text:
            yield text, language


@lru_cache(maxsize=262144)
def _analysed(chunk: str, language: str | None, sentence_start: bool) -> tuple[str, ...]:
    return tuple(analyse(chunk, language=language, sentence_start=sentence_start))


# What ends a sentence, maybe followed by closing quotes or brackets: the next word starts one.
_SENTENCE_END = re.compile(r"[.!?…][\"'»”)\]]*\Z")
_ENDINGS = frozenset(".!?…\"'»”)]")


def _chunks(text: str, language: str | None) -> list[str]:
    terms: list[str] = []
    starts = True
    for chunk in text.split():
        terms += _analysed(chunk, language, starts)
        starts = chunk[-1] in _ENDINGS and _SENTENCE_END.search(chunk) is not None
    return terms


def _terms(pieces: Iterable[tuple[str, str | None]]) -> str:
    # Text is analysed a whitespace-separated chunk at a time, which gives the same terms as the
    # whole text (no token spans whitespace, before or after normalisation; whether a chunk starts
    # a sentence is passed along) while letting the words a catalogue repeats be analysed once: a
    # full reindex is several times faster.
    return " ".join(" ".join(_chunks(text, language)) for text, language in pieces)


def _meta(film: Film) -> Iterable[tuple[str, str | None]]:
    if film.year:
        yield str(film.year), None  # years are searched as words ("2014"), besides the facet
    for theme in film.themes.all():
        yield from _translations(theme, "name")
    if film.collection:
        yield from _translations(film.collection, "title")
        yield from _translations(film.collection, "description")
    organisations = [credit.organisation for credit in film.credits.all()]
    if film.project:
        yield from _translations(film.project, "title")
        organisations += [p.organisation for p in film.project.participations.all()]
    for organisation in {o.pk: o for o in organisations}.values():
        yield from _translations(organisation, "name")
        yield from _translations(organisation, "short_name")


def caption_text(track: CaptionTrack) -> str:
    """The cues' text of a stored track; an unreadable file indexes as empty rather than failing
    the whole index write (the track was validated on upload, so this is a storage problem)."""
    try:
        with default_storage.open(track.file, "rb") as handle:
            cues = parse_captions(decode_caption_bytes(handle.read()))
    except (OSError, CaptionError, ValueError):
        log.warning("search: caption track %s (%s) could not be read", track.pk, track.file)
        return ""
    return " ".join(cue.text for cue in cues)


def _captions(film: Film) -> Iterable[tuple[str, str]]:
    for video in film.playable_videos:
        for track in video.captions.all():
            text = caption_text(track)
            if text:
                yield text, track.language


def facet_tokens(film: Film) -> list[str]:
    p = FACET_PREFIXES
    tokens = [f"{p['theme']}{theme.pk}" for theme in film.themes.all()]
    if film.kind:
        tokens.append(f"{p['kind']}{film.kind}")
    if film.year:
        tokens.append(f"{p['year']}{film.year}")
    if film.collection_id:
        tokens.append(f"{p['collection']}{film.collection_id}")
    for video in film.playable_videos:
        tokens.append(f"{p['spoken']}{video.language}")
        tokens += [
            f"{p['captions']}{t.language}"
            for t in video.captions.all()
            if t.kind != CaptionTrack.Kind.CHAPTERS
        ]
    return sorted(set(tokens))


def build(film: Film) -> Document:
    """The document of one film fetched through films_to_index()."""
    return Document(
        film_id=film.pk,
        title=_terms(_translations(film, "title")),
        meta=_terms(_meta(film)),
        synopsis=_terms(_translations(film, "synopsis")),
        captions=_terms(_captions(film)),
        facets=" ".join(facet_tokens(film)),
    )
