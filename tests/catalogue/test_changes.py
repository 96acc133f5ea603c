"""One event per committed change: which films a transaction touched, and what follows from it.

These commit for real (transactional_db): the event is sent by the commit itself, or at once by a
write outside a transaction, and never by a rolled-back one.
"""

import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from mediateka.catalogue.changes import films_changed
from mediateka.catalogue.models import CatalogueState, Collection, Credit, Film, Status, Theme
from mediateka.mission.models import Mission, Organisation
from mediateka.search import index
from mediateka.search.query import search
from mediateka.video.models import CaptionTrack, Video
from tests.video import factories


@pytest.fixture
def sent():
    """The film ids of each films_changed sent while the test runs."""
    events: list[set[int]] = []

    def record(sender, film_ids, **kwargs):
        events.append(set(film_ids))

    films_changed.connect(record, dispatch_uid="test-record")
    yield events
    films_changed.disconnect(dispatch_uid="test-record")


def _film(slug: str, **fields) -> Film:
    fields.setdefault("title_en", slug.title())
    return Film.objects.create(slug=slug, status=Status.PUBLISHED, **fields)


def _found(words: str) -> list[str]:
    return [hit.film.slug for hit in search(words).hits]


def test_one_transaction_editing_many_films_sends_one_event_with_them_all(transactional_db, sent):
    films = [_film(f"film-{n}") for n in range(3)]
    theme = Theme.objects.create(key="water", name_en="Water")
    sent.clear()
    with transaction.atomic():
        for film in films[:2]:
            film.synopsis_en = "Edited."
            film.save()
        theme.films.add(films[2])  # from the theme's side of the link
        assert sent == []  # nothing before the commit
    assert sent == [{film.pk for film in films}]


def test_a_rolled_back_transaction_sends_nothing_and_the_next_one_only_its_own(transactional_db, sent):
    kept, dropped = _film("kept"), _film("dropped")
    sent.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        dropped.synopsis_en = "Never saved."
        dropped.save()
        raise RuntimeError
    assert sent == []
    kept.save()  # outside a transaction: at once
    assert sent == [{kept.pk}]


def test_a_savepoint_rolled_back_keeps_the_rest_of_the_transaction(transactional_db, sent):
    first, second = _film("first"), _film("second")
    sent.clear()
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            first.save()  # the transaction's first write, in a savepoint that is rolled back
            raise RuntimeError
        second.save()
    assert len(sent) == 1 and second.pk in sent[0]


def test_records_that_point_at_films_or_that_films_point_at_name_their_films(transactional_db, sent):
    organisation = Organisation.objects.create(key="iom", name_en="IOM")
    collection = Collection.objects.create(slug="series", title_en="Series")
    in_series, credited, other = _film("in-series", collection=collection), _film("credited"), _film("other")
    credit = Credit.objects.create(film=credited, organisation=organisation, role=Credit.Role.PRODUCER)
    video = Video.objects.create(film=other, language="tg")
    checks = [
        (lambda: collection.save(), {in_series.pk}),
        (lambda: organisation.save(), {credited.pk}),
        (
            lambda: CaptionTrack.objects.create(video=video, language="en", file="captions/k/en.vtt"),
            {other.pk},
        ),
        (lambda: Video.objects.filter(pk=video.pk).get().delete(), {other.pk}),
        (
            lambda: Mission.objects.create(
                name_en="IOM Tajikistan",
                country_en="Tajikistan",
                member_since="1994-11-29",
                organisation=organisation,
            ),
            set(),
        ),
    ]
    for write, films in checks:
        sent.clear()
        write()
        assert sent == [films]
    # A credit moved to another film changes both.
    sent.clear()
    credit.film = other
    credit.save()
    assert sent == [{credited.pk, other.pk}]


def test_a_receiver_failing_stops_neither_the_others_nor_the_commit(
    transactional_db, sent, monkeypatch, caplog, tmp_path
):
    video = Video.objects.create(film=_film("shown"), language="tg")
    encoding = factories.stored_encoding(video, tmp_path)
    link = Path(settings.MEDIATEKA_PUBLIC_MEDIA_DIR) / "media" / encoding.storage_dir
    assert link.is_symlink()
    version = CatalogueState.objects.get().version
    sent.clear()

    def unwell(film_ids):
        raise RuntimeError("the index is unwell")

    monkeypatch.setattr(index, "index_films", unwell)  # search listens before media exposure
    with caplog.at_level(logging.ERROR), transaction.atomic():
        film = Film.objects.get(pk=video.film_id)
        film.status = Status.DRAFT
        film.save()
    assert Film.objects.get(pk=video.film_id).status == Status.DRAFT  # committed
    assert "the index is unwell" in caplog.text  # logged, not raised
    assert not link.exists()  # the draft's media are no longer public
    assert CatalogueState.objects.get().version != version
    assert sent == [{video.film_id}]


def test_a_renamed_film_is_found_by_its_new_title_after_the_commit(transactional_db):
    film = _film("renamed", title_en="Khorog bridge")
    assert _found("Khorog") == ["renamed"]
    with transaction.atomic():
        film.title_en = "Murghab road"
        film.save()
        assert _found("Murghab") == []
    assert _found("Murghab") == ["renamed"] and _found("Khorog") == []
