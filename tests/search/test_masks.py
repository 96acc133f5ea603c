"""Each process's facet masks follow index writes: patched with the films a write names when the
process is a few writes behind, rebuilt after a full reindex or when it is too far behind, and
always the same as masks made from scratch."""

import pytest
from django.http import QueryDict

from mediateka.catalogue.models import Status, Theme
from mediateka.search import masks
from mediateka.search.index import reindex_all
from mediateka.search.models import IndexChange, IndexState
from mediateka.search.query import search

from .conftest import film


@pytest.fixture
def builds(monkeypatch):
    """The versions for which masks were made from every document (rather than patched)."""
    made = []
    build = masks.Masks.build.__func__

    def counted(cls, version):
        made.append(version)
        return build(cls, version)

    monkeypatch.setattr(masks.Masks, "build", classmethod(counted))
    monkeypatch.setattr(masks, "_current", None)
    return made


def _assert_fresh(current: masks.Masks) -> None:
    fresh = masks.Masks.build(current.version)
    assert current.all == fresh.all
    assert current.facets == fresh.facets


def test_writes_patch_the_masks_of_the_films_they_name(db, builds, django_capture_on_commit_callbacks):
    water = Theme.objects.create(key="water", name_en="Water")
    with django_capture_on_commit_callbacks(execute=True):
        one = film("one", title_en="Vakhsh river", year=2019, kind="documentary")
        two = film("two", title_en="Vakhsh dam", year=2020)
        draft = film("three", title_en="Vakhsh valley", status=Status.DRAFT)
    first = masks.current()
    assert len(builds) == 1 and first.all.bit_count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        one.year = 2021  # a facet value moves
        one.themes.add(water)  # and a new one appears
        one.save()
        draft.status = Status.PUBLISHED
        draft.save()
    with django_capture_on_commit_callbacks(execute=True):
        two.delete()
    patched = masks.current()
    assert len(builds) == 1, "patched, not rebuilt"
    assert patched is not first and patched.version == IndexState.objects.current_version()
    _assert_fresh(patched)
    assert masks.to_ids(patched.facet("y2021")) == [one.pk]
    assert "y2019" not in patched.facets and "y2020" not in patched.facets
    assert [hit.film.pk for hit in search("Vakhsh", QueryDict("theme=water")).hits] == [one.pk]
    results = search("Vakhsh")
    assert results.total == 2
    assert {v.value: v.count for f in results.facets if f.name == "year" for v in f.values} == {"2021": 1}


def test_a_full_reindex_or_a_long_way_behind_rebuilds(
    db, builds, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        films = [film(f"film-{n}", title_en=f"Sarband {n}", year=2000 + n) for n in range(4)]
    masks.current()
    reindex_all()
    _assert_fresh(masks.current())
    assert len(builds) == 3  # the first, the reindex, and _assert_fresh's own

    monkeypatch.setattr(IndexChange, "KEPT", 2)
    for n, each in enumerate(films):
        with django_capture_on_commit_callbacks(execute=True):
            each.year = 1990 + n
            each.save()
    assert IndexChange.objects.count() <= 2
    _assert_fresh(masks.current())
    assert len(builds) == 5  # three writes behind, two kept: rebuilt


def test_more_films_than_patching_is_worth_rebuild(
    db, builds, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        films = [film(f"film-{n}", title_en=f"Panj {n}") for n in range(3)]
    masks.current()
    monkeypatch.setattr(masks, "PATCH_MAX_FILMS", 2)
    with django_capture_on_commit_callbacks(execute=True):
        for each in films:
            each.year = 2024
            each.save()
    _assert_fresh(masks.current())
    assert len(builds) == 3


@pytest.mark.parametrize("count", [0, 1, masks.FEW_IDS - 1, masks.FEW_IDS, 3000])
def test_masks_round_trip_film_ids(count):
    ids = sorted({(n * 7919) % 10_000 for n in range(count)})
    mask = masks.from_ids([*ids, 10_000, 12_345], 10_000)  # ids at or past the size are left out
    assert masks.to_ids(mask) == ids
    assert mask.bit_count() == len(ids)
