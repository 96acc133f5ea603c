"""Search at 100,000 films, on whichever database DATABASE_URL names (SQLite by default):

(a) 200 mixed queries through the full search function (analyser, back end, facet counts,
    highlighted hits): p50 and p95, target p95 <= 25 ms;
(b) the same queries as a naive ORM query (icontains, OR over the same fields, per word), the way
    a site without a search index does it: the ratio of the two;
(c) a full reindex: films per second.

The catalogue is generated into a throwaway test database (a file in a temporary folder for
SQLite, test_<name> on PostgreSQL); nothing touches the configured database.
`python -m bench search`; `SEARCH_BENCH_FILMS=10000` for a quicker run.
"""

from __future__ import annotations

import gc
import itertools
import os
import random
import re
import tempfile
import time
from pathlib import Path

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

FILMS = int(os.environ.get("SEARCH_BENCH_FILMS", "100000"))
QUERIES = 200
# The naive query takes seconds each at 100,000 films: the first 40 of the same queries are enough.
NAIVE_QUERIES = int(os.environ.get("SEARCH_BENCH_NAIVE_QUERIES", "40"))
SHOW_SLOWEST = int(os.environ.get("SEARCH_BENCH_SLOWEST", "0"))  # print the slowest queries
SEED = 20140201
LANGUAGES = ("en", "ru", "tg")
_WORD = re.compile(r"[^\W\d_]{3,}")

# Pseudo-words for the long tail of a real catalogue (names of people, places, things).
_SYLLABLES = {
    "en": str.split("ba ka da ra sho mi lo ne tu vo ar el ind om us an er ist ab ur zi"),
    "ru": str.split("ка ро ми на ту ле вы жи до ска пра сто ве ни за ло ку ря бо ги"),
    "tg": str.split("ҳо қа ғу ҷо ӯр ми на до ро ба ша хо за ло ку ти ва ӣ бо ги"),
}


def _lexicon(rng: random.Random) -> dict[str, tuple[list[str], list[float]]]:
    """Per language: words, most frequent first (the demo's real words, then pseudo-words), and
    Zipf cumulative weights, so some words are in a third of the films and most in a handful."""
    from mediateka.demo.loader import read

    real: dict[str, list[str]] = {code: [] for code in LANGUAGES}

    def collect(value):
        if isinstance(value, dict) and set(value) >= set(LANGUAGES):
            for code in LANGUAGES:
                if isinstance(value[code], str):
                    real[code] += _WORD.findall(value[code])
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    for name in ("films", "themes", "projects", "collections", "organisations", "areas"):
        collect(read(name))
    lexicon = {}
    for code in LANGUAGES:
        words = list(dict.fromkeys(w.lower() for w in real[code]))
        rng.shuffle(words)
        invented = {"".join(rng.choices(_SYLLABLES[code], k=rng.randint(2, 4))) for _ in range(12000)} - set(
            words
        )
        words += sorted(invented)
        weights = list(itertools.accumulate(1.0 / (rank + 10) for rank in range(len(words))))
        lexicon[code] = (words, weights)
    return lexicon


def _text(rng, lexicon, code, low, high) -> str:
    words, weights = lexicon[code]
    return " ".join(rng.choices(words, cum_weights=weights, k=rng.randint(low, high))).capitalize()


def generate(rng: random.Random, lexicon) -> None:
    from django.core.files.storage import default_storage

    from mediateka.catalogue.models import Collection, Film, Status, Theme
    from mediateka.mission.models import ThematicArea
    from mediateka.video.models import CaptionTrack, Encoding, Video

    started = time.perf_counter()
    area = ThematicArea.objects.create(key="area", name="Area")
    del area  # projects are left out: they would only add more of the same text
    themes = Theme.objects.bulk_create(
        Theme(key=f"theme-{n}", **{f"name_{c}": _text(rng, lexicon, c, 1, 3) for c in LANGUAGES})
        for n in range(40)
    )
    collections = Collection.objects.bulk_create(
        Collection(
            slug=f"collection-{n}",
            status=Status.PUBLISHED,
            **{f"title_{c}": _text(rng, lexicon, c, 2, 5) for c in LANGUAGES},
            **{f"description_{c}": _text(rng, lexicon, c, 5, 15) for c in LANGUAGES},
        )
        for n in range(300)
    )
    kinds = [*Film.Kind.values, ""]
    batch = 2000
    for start in range(0, FILMS, batch):
        films = Film.objects.bulk_create(
            Film(
                slug=f"film-{n}",
                status=Status.PUBLISHED if rng.random() < 0.97 else Status.DRAFT,
                kind=rng.choice(kinds),
                year=rng.randint(1995, 2024) if rng.random() < 0.8 else None,
                collection=rng.choice(collections) if rng.random() < 0.5 else None,
                **{f"title_{c}": _text(rng, lexicon, c, 3, 8) for c in LANGUAGES},
                **{f"synopsis_{c}": _text(rng, lexicon, c, 25, 70) for c in LANGUAGES},
            )
            for n in range(start, min(start + batch, FILMS))
        )
        Film.themes.through.objects.bulk_create(
            Film.themes.through(film_id=film.pk, theme_id=theme.pk)
            for film in films
            for theme in rng.sample(themes, rng.randint(1, 3))
        )
        with_video = [f for f in films if rng.random() < 0.6]
        videos = Video.objects.bulk_create(
            Video(film=film, language=language, status=Video.Status.READY)
            for film in with_video
            for language in rng.sample(["tg", "ru", "en", "uz"], rng.choice([1, 1, 2]))
        )
        Encoding.objects.bulk_create(Encoding(video=v, state=Encoding.State.COMPLETE) for v in videos)
        tracks = []
        for video in videos:
            if rng.random() < 0.15:
                for code in rng.sample(LANGUAGES, rng.randint(1, 2)):
                    name = f"captions/bench/{video.pk}-{code}.vtt"
                    cues = "\n\n".join(
                        f"00:00:{i:02}.000 --> 00:00:{i + 1:02}.000\n{_text(rng, lexicon, code, 4, 9)}"
                        for i in range(20)
                    )
                    default_storage.save(name, _content(f"WEBVTT\n\n{cues}\n"))
                    tracks.append(CaptionTrack(video=video, language=code, file=name, cue_count=20))
        CaptionTrack.objects.bulk_create(tracks)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE video_video SET current_encoding_id ="
            " (SELECT e.id FROM video_encoding e WHERE e.video_id = video_video.id)"
        )
    print(f"generated {FILMS} films in {time.perf_counter() - started:.0f} s", flush=True)


def _content(text: str):
    from django.core.files.base import ContentFile

    return ContentFile(text.encode())


def make_queries(rng: random.Random, lexicon) -> list[tuple[str, str]]:
    """200 (query, facet parameters) pairs of the kinds visitors type."""
    from mediateka.catalogue.models import Theme

    def word(code, top=None):
        words, weights = lexicon[code]
        if top:
            return rng.choice(words[:top])
        return rng.choices(words, cum_weights=weights)[0]

    def misspell(w):
        i = rng.randrange(1, max(2, len(w) - 1))
        return w[:i] + w[i + 1 :] if len(w) > 5 else w + w[-1]

    def latin(w):  # a Cyrillic word typed on a Latin keyboard
        cyrillic = str.split("а б в г д е ж з и й к л м н о п р с т у ф х ц ч ш щ ы э ю я ё ғ ӣ қ ӯ ҳ ҷ ъ ь")
        latin = str.split(
            "a b v g d e zh z i y k l m n o p r s t u f kh ts ch sh shch y e yu ya yo gh i q u h j"
        )
        return "".join(dict(zip(cyrillic, latin, strict=False)).get(c, c) for c in w)

    def plain(w):  # a Tajik word typed on a Russian keyboard
        return w.translate(str.maketrans("ғӣқӯҳҷ", "гикухч"))

    theme_keys = list(Theme.objects.values_list("key", flat=True))
    queries = []
    for n in range(QUERIES):
        code = LANGUAGES[n % 3]
        kind = n % 10
        if kind in (0, 1, 2):
            queries.append((word(code), ""))
        elif kind in (3, 4):
            queries.append((f"{word(code)} {word(code)}", ""))
        elif kind == 5:
            queries.append((f"{word(code, 40)} {word(code)} {word(code)}", ""))
        elif kind == 6:
            w = word(code)
            queries.append((latin(w) if code != "en" else w.upper(), ""))
        elif kind == 7:
            queries.append((plain(word("tg")), f"theme={rng.choice(theme_keys)}"))
        elif kind == 8:
            queries.append(
                (word(code, 60), f"spoken={rng.choice(['tg', 'ru'])}&captions={code}&kind=documentary")
            )
        else:
            queries.append((misspell(word(code)), ""))
    return queries


def naive(text: str) -> list[int]:
    """What a site without an index does: per word, icontains over the same fields, OR-ed."""
    from mediateka.catalogue.models import Film

    films = Film.objects.listed()
    for w in text.split():
        q = Q()
        for code in LANGUAGES:
            for lookup in (
                "title",
                "synopsis",
                "themes__name",
                "collection__title",
                "collection__description",
            ):
                q |= Q(**{f"{lookup}_{code}__icontains": w})
        films = films.filter(q)
    films = films.distinct()
    films.count()
    return list(films.order_by("-published_at", "pk").values_list("pk", flat=True)[:20])


def _collection_timer(collections: list[float]):
    started = []

    def callback(phase, info):
        if info["generation"] == 2:
            if phase == "start":
                started.append(time.perf_counter())
            elif started:
                collections.append((time.perf_counter() - started.pop()) * 1000)

    return callback


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(tmp: Path) -> None:
    from mediateka.search import masks
    from mediateka.search.index import reindex_all
    from mediateka.search.query import search

    rng = random.Random(SEED)
    lexicon = _lexicon(rng)
    with override_settings(MEDIA_ROOT=tmp / "media"), transaction.atomic():
        generate(rng, lexicon)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    with override_settings(MEDIA_ROOT=tmp / "media"):
        seconds = timed(reindex_all) / 1000
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_searchdocument")
    indexed = FILMS * 0.97
    print(f"reindex: {seconds:.1f} s, {indexed / seconds:.0f} films/s", flush=True)

    queries = make_queries(rng, lexicon)
    # What the first search after each index write pays, once per process.
    cold = timed(lambda: masks.Masks.build(masks.current().version))
    # As the production server does once the application is loaded (ops.gunicorn_config): what is
    # in memory now (here also the generator's and the reindex's leftovers) is kept out of the
    # garbage collector's full passes.
    gc.collect()
    gc.freeze()
    warm_up = make_queries(random.Random(1), lexicon)[:20]
    for text, params in warm_up:  # warm the caches
        search(text, QueryDict(params))
    collections = []  # Python's full garbage collections during the timed queries, in ms
    gc.callbacks.append(_collection_timer(collections))
    times, found, empty = [], 0, 0
    # A query asked before may find more of what it reads in caches (term masks, SQLite's pages):
    # cheaper, so the figures are also given for the queries asked for the first time.
    asked, first_times = set(warm_up), []
    for text, params in queries:
        results = None

        def one(text=text, params=params):
            nonlocal results
            results = search(text, QueryDict(params), language="ru")

        times.append(timed(one))
        if (text, params) not in asked:
            first_times.append(times[-1])
        asked.add((text, params))
        found += results.total
        empty += not results.total
    gc.callbacks.pop()
    p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
    print(
        f"search ({connection.vendor}, {FILMS} films, {len(queries)} queries, {empty} with no results,"
        f" {found / len(queries):.0f} results on average): p50 {p50:.1f} ms, p95 {p95:.1f} ms,"
        f" max {max(times):.1f} ms; facet masks built in {cold:.0f} ms once per index change;"
        f" {len(collections)} full garbage collections took {sum(collections):.0f} ms",
        flush=True,
    )
    slowest = sorted(zip(times, queries, strict=True), key=lambda row: -row[0])[:SHOW_SLOWEST]
    for ms, (text, params) in slowest:
        print(f"  {ms:6.1f} ms  {text!r} {params}", flush=True)
    print(
        f"  of them asked for the first time ({len(first_times)} queries): p50"
        f" {percentile(first_times, 0.5):.1f} ms, p95 {percentile(first_times, 0.95):.1f} ms",
        flush=True,
    )
    # What the first search after an editor saves a film pays, in each process (models.IndexChange).
    from mediateka.catalogue.models import Film
    from mediateka.search.index import index_films

    edited = Film.objects.listed().order_by("pk")[len(queries)]
    Film.objects.filter(pk=edited.pk).update(year=2025, title_en=f"{edited.title_en} edited")
    with override_settings(MEDIA_ROOT=tmp / "media"):
        written = timed(lambda: index_films([edited.pk]))
    patched = timed(masks.current)
    print(
        f"one film edited: index write {written:.0f} ms; the next search patches its masks in"
        f" {patched:.1f} ms (rebuilding them takes {cold:.0f} ms)",
        flush=True,
    )
    naive_times = [timed(lambda text=text: naive(text)) for text, _params in queries[:NAIVE_QUERIES]]
    n50, n95 = percentile(naive_times, 0.5), percentile(naive_times, 0.95)
    ours = times[:NAIVE_QUERIES]
    print(
        f"naive icontains ({len(naive_times)} queries): p50 {n50:.1f} ms, p95 {n95:.1f} ms;"
        f" ratio naive/ours p50 {n50 / percentile(ours, 0.5):.0f}x, p95 {n95 / percentile(ours, 0.95):.0f}x",
        flush=True,
    )
    print(f"target p95 <= 25 ms: {'met' if p95 <= 25 else 'NOT met'}", flush=True)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        tmp = Path(tmp)
        if connection.vendor == "sqlite":
            connection.settings_dict["TEST"]["NAME"] = str(tmp / "bench.sqlite3")
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            run(tmp)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
