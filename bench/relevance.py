"""Relevance of search on the trilingual test set in tests/search/relevance: does a person find
the films they meant?

The test catalogue (65 migration films, some written in one language only, with themes,
collections, spoken versions and captions) is loaded into a throwaway test database (a file in
a temporary folder on SQLite, test_<name> on PostgreSQL under `python -m tests.pg_cluster`) and
indexed; each judged query goes through the search function the search page uses, on a page
in the query's language, with its facet choices. Printed: P@3 and recall per category and over
all queries, the misspelt queries that found nothing, and the worst queries.

P@3 is the share of the first three results that are relevant, out of at most the number of
relevant films (a query with one relevant film found first scores 1). Recall is the share of
the relevant films on the first page (20 results), out of at most a page. A query whose best
answer is no films (empty input, markup, a facet choice nothing has) scores 1 on both when it
gets none and 0 when it gets any.

It is a measurement: the exit code is 0 whatever the scores; the goals are printed beside them.
`python -m bench relevance`; `RELEVANCE_WORST=10` lists more of each category's worst queries;
`RELEVANCE_JSON=out.json` also writes every query's results, to compare two engines.
"""

from __future__ import annotations

import inspect
import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from statistics import mean

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import translation  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "tests" / "search" / "relevance"
WORST = int(os.environ.get("RELEVANCE_WORST", "4"))  # per category
RESULTS_FILE = os.environ.get("RELEVANCE_JSON", "")
GOAL_MEAN_P3 = 0.92
GOAL_CATEGORY_P3 = 0.80
# Names under which a search engine may report the query it searched instead of the one typed.
_CORRECTED_NAMES = ("corrected_query", "corrected", "correction", "showing_results_for", "searched_for")


@dataclass
class Answer:
    slugs: list[str] = field(default_factory=list)  # the first page, in order
    total: int = 0
    corrected: str | None = None  # the query searched instead of the one typed, if any
    did_you_mean: str | None = None
    error: str | None = None


def ask(text: str, params: str, language: str, per_page: int) -> Answer:
    """The one place that knows the search function's shape: the first page of results for
    ``text`` with facet choices ``params``, on a page in ``language``. Tolerates a search
    function that takes fewer keywords, hits that are films, and a "corrected query" field."""
    from mediateka.search.query import search

    accepted = inspect.signature(search).parameters
    wanted = {"page": 1, "per_page": per_page, "language": language}
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in accepted.values())
    keywords = {name: value for name, value in wanted.items() if takes_any or name in accepted}
    try:
        with translation.override(language):
            results = search(text, QueryDict(params), **keywords)
    except Exception as error:  # a query that raises is a result to report
        return Answer(error=f"{type(error).__name__}: {error}")
    hits = list(getattr(results, "hits", None) or [])[:per_page]
    slugs = [getattr(hit, "slug", None) or hit.film.slug for hit in hits]
    corrected = next((getattr(results, n) for n in _CORRECTED_NAMES if getattr(results, n, None)), None)
    did_you_mean = getattr(results, "did_you_mean", None)
    return Answer(
        slugs=slugs,
        total=getattr(results, "total", len(slugs)),
        corrected=str(corrected) if corrected else None,
        did_you_mean=str(did_you_mean) if did_you_mean else None,
    )


def _texts(field_name: str, texts: dict[str, str]) -> dict[str, str]:
    return {f"{field_name}_{code}": texts.get(code, "") for code in ("en", "ru", "tg")}


def load_catalogue(catalogue: dict) -> None:
    """The test catalogue as published films, with playable versions and caption files."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from mediateka.catalogue.models import Collection, Film, Status, Theme
    from mediateka.video.models import CaptionTrack, Encoding, Video

    themes = {
        t["key"]: Theme.objects.create(key=t["key"], **_texts("name", t["name"])) for t in catalogue["themes"]
    }
    collections = {
        c["slug"]: Collection.objects.create(
            slug=c["slug"],
            status=Status.PUBLISHED,
            **_texts("title", c["title"]),
            **_texts("description", c["description"]),
        )
        for c in catalogue["collections"]
    }
    for f in catalogue["films"]:
        film = Film.objects.create(
            slug=f["slug"],
            status=Status.PUBLISHED,
            kind=f["kind"],
            year=f["year"],
            collection=collections.get(f["collection"]),
            **_texts("title", f["title"]),
            **_texts("synopsis", f["synopsis"]),
        )
        film.themes.set([themes[key] for key in f["themes"]])
        for v in f["videos"]:
            video = Video.objects.create(
                film=film, language=v["spoken"], status=Video.Status.READY, duration=60
            )
            video.current_encoding = Encoding.objects.create(video=video, state=Encoding.State.COMPLETE)
            video.save()
            for code in v["captions"]:
                cue = f"WEBVTT\n\n00:00.500 --> 00:03.500\n{f['title'][code]}\n"
                name = default_storage.save(f"captions/{f['slug']}/{code}.vtt", ContentFile(cue.encode()))
                CaptionTrack.objects.create(
                    video=video, language=code, kind="subtitles", file=name, cue_count=1
                )


def precision_at_3(slugs: list[str], relevant: set[str]) -> float:
    if not relevant:
        return float(not slugs)
    return len(set(slugs[:3]) & relevant) / min(3, len(relevant))


def recall(slugs: list[str], relevant: set[str], per_page: int) -> float:
    if not relevant:
        return float(not slugs)
    return len(set(slugs[:per_page]) & relevant) / min(per_page, len(relevant))


def _short(text: str, width: int = 44) -> str:
    text = " ".join(text.split()) if text.strip() else text
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def report(rows: list[dict]) -> None:
    categories = list(dict.fromkeys(row["category"] for row in rows))
    print(f"{'category':<15}{'queries':>8}{'P@3':>8}{'recall':>8}{'no results':>12}")
    by_category = {}
    for name in categories:
        mine = [row for row in rows if row["category"] == name]
        p3, rec = mean(r["p3"] for r in mine), mean(r["recall"] for r in mine)
        by_category[name] = p3
        empty = sum(1 for r in mine if not r["slugs"] and r["relevant"])
        print(f"{name:<15}{len(mine):>8}{p3:>8.2f}{rec:>8.2f}{empty:>12}")
    mean_p3, mean_recall = mean(r["p3"] for r in rows), mean(r["recall"] for r in rows)
    empty = sum(1 for r in rows if not r["slugs"] and r["relevant"])
    print(f"{'all queries':<15}{len(rows):>8}{mean_p3:>8.2f}{mean_recall:>8.2f}{empty:>12}")
    print(f"{'category mean':<15}{'':>8}{mean(by_category.values()):>8.2f}")

    misspelt = [r for r in rows if r["category"] == "misspelling" and not r["slugs"] and r["relevant"]]
    print(f"\nmisspelt queries with no results: {len(misspelt)} of", end=" ")
    print(sum(1 for r in rows if r["category"] == "misspelling"))
    for r in misspelt:
        print(f"  #{r['id']:<4}{_short(r['query'])}  did you mean: {_short(r['did_you_mean'] or '')}")

    raised = [r for r in rows if r["error"]]
    if raised:
        print(f"\nqueries that raised: {len(raised)}")
        for r in raised:
            print(f"  #{r['id']:<4}{_short(r['query'])}  {r['error']}")

    print(f"\nworst queries, at most {WORST} a category (first three results, + relevant):")
    for name in categories:
        below = [r for r in rows if r["category"] == name and (r["p3"] < 1 or r["recall"] < 1)]
        for r in sorted(below, key=lambda r: (r["p3"], r["recall"], r["id"]))[:WORST]:
            params = f" [{r['params']}]" if r["params"] else ""
            top = ", ".join(("+" if s in r["relevant"] else "-") + s for s in r["slugs"][:3]) or "no results"
            extra = f"; did you mean {_short(r['did_you_mean'])}" if r["did_you_mean"] else ""
            extra += f"; searched for {_short(r['corrected'])}" if r["corrected"] else ""
            print(
                f"  #{r['id']:<4}{name:<14}{_short(r['query'])}{params}  P@3 {r['p3']:.2f}"
                f" recall {r['recall']:.2f} of {len(r['relevant'])}: {top}{extra}"
            )

    low = {name: p3 for name, p3 in by_category.items() if p3 < GOAL_CATEGORY_P3}
    print("\ngoals:")
    print(f"  mean P@3 >= {GOAL_MEAN_P3}: {mean_p3:.2f}, {'met' if mean_p3 >= GOAL_MEAN_P3 else 'NOT met'}")
    print(
        f"  no category P@3 < {GOAL_CATEGORY_P3}: "
        + (", ".join(f"{n} {p:.2f}" for n, p in low.items()) + ", NOT met" if low else "met")
    )
    print(f"  no misspelt query with no results: {len(misspelt)}, {'NOT met' if misspelt else 'met'}")


def run(tmp: Path) -> None:
    from mediateka.search.index import reindex_all

    catalogue = json.loads((DATA / "catalogue.json").read_text("utf-8"))
    judged = json.loads((DATA / "queries.json").read_text("utf-8"))
    per_page = judged["per_page"]
    with override_settings(MEDIA_ROOT=tmp / "media"):
        with transaction.atomic():
            load_catalogue(catalogue)
        reindex_all()
        started = time.perf_counter()
        rows = []
        for q in judged["queries"]:
            answer = ask(q["query"], q["params"], q["language"], per_page)
            relevant = set(q["relevant"])
            rows.append(
                {
                    **q,
                    **asdict(answer),
                    "relevant": relevant,
                    "p3": 0.0 if answer.error else precision_at_3(answer.slugs, relevant),
                    "recall": 0.0 if answer.error else recall(answer.slugs, relevant, per_page),
                }
            )
    seconds = time.perf_counter() - started
    print(
        f"relevance ({connection.vendor}): {len(catalogue['films'])} films, {len(rows)} judged queries"
        f" in {seconds:.1f} s; P@3 and recall at {per_page} per query, averaged\n"
    )
    report(rows)
    if RESULTS_FILE:
        kept = [{**r, "relevant": sorted(r["relevant"])} for r in rows]
        Path(RESULTS_FILE).write_text(json.dumps(kept, ensure_ascii=False, indent=1), "utf-8")
        print(f"\nevery query's results: {RESULTS_FILE}")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="relevance-bench-") as tmp:
        tmp = Path(tmp)
        if connection.vendor == "sqlite":
            connection.settings_dict["TEST"]["NAME"] = str(tmp / "relevance.sqlite3")
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            run(tmp)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
