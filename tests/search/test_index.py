"""The index follows the catalogue after each commit, and `reindex` rebuilds it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from mediateka.catalogue.models import Collection, Credit, Film, Status, Theme
from mediateka.mission.models import Organisation
from mediateka.search.models import SearchDocument, SearchTerm
from mediateka.search.query import search
from mediateka.video.models import CaptionTrack

from .conftest import film, playable_video


def found(query: str) -> list[str]:
    return [hit.film.slug for hit in search(query).hits]


def test_a_published_film_is_found_after_commit_not_before(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        film("rasht", title_en="Rasht valley")
        assert found("Rasht") == []  # nothing indexed inside the transaction
    assert callbacks
    for callback in callbacks:
        callback()
    assert found("Rasht") == ["rasht"]


def test_a_rolled_back_film_never_reaches_the_index(transactional_db):
    with pytest.raises(RuntimeError), transaction.atomic():
        film("rolled-back", title_en="Vakhsh")
        raise RuntimeError
    assert found("Vakhsh") == [] and not SearchDocument.objects.exists()


def test_a_film_committed_outside_a_test_transaction_is_indexed(transactional_db):
    film("committed", title_en="Vakhsh")
    assert found("Vakhsh") == ["committed"]


def test_edits_unpublishing_and_deleting_follow_through(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = film("khorog", title_en="Khorog bridge")
    with django_capture_on_commit_callbacks(execute=True):
        item.title_en = "Murghab road"
        item.save()
    assert found("Khorog") == [] and found("Murghab") == ["khorog"]
    with django_capture_on_commit_callbacks(execute=True):
        item.status = Status.DRAFT
        item.save()
    assert found("Murghab") == [] and not SearchDocument.objects.filter(film=item).exists()
    with django_capture_on_commit_callbacks(execute=True):
        item.status = Status.PUBLISHED
        item.save()
    assert found("Murghab") == ["khorog"]
    with django_capture_on_commit_callbacks(execute=True):
        item.delete()
    assert found("Murghab") == [] and not SearchTerm.objects.filter(term="murgab").exists()


def test_vocabulary_counts_follow_documents(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        one = film("one", title_en="Sughd apricots")
        film("two", title_en="Sughd cotton")
    term = SearchTerm.objects.get(term="sughd")
    assert term.films == 2
    with django_capture_on_commit_callbacks(execute=True):
        one.title_en = "Apricots"
        one.save()
    assert SearchTerm.objects.get(term="sughd").films == 1
    assert SearchTerm.objects.get(term="cotton").films == 1


def test_theme_collection_and_organisation_renames_reach_their_films(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        theme = Theme.objects.create(key="water", name_en="Water")
        collection = Collection.objects.create(slug="series", title_en="Series", status="published")
        organisation = Organisation.objects.create(key="ngo", name_en="Helpers")
        item = film("item", title_en="Story", collection=collection)
        item.themes.add(theme)
        Credit.objects.create(film=item, organisation=organisation, role="producer")
    assert found("water") == found("series") == found("helpers") == ["item"]
    with django_capture_on_commit_callbacks(execute=True):
        theme.name_en = "Irrigation"
        theme.save()
        collection.title_en = "Chronicles"
        collection.save()
        organisation.name_en = "Neighbours"
        organisation.save()
    assert found("water") == found("series") == found("helpers") == []
    assert found("irrigation") == found("chronicles") == found("neighbours") == ["item"]
    with django_capture_on_commit_callbacks(execute=True):
        theme.films.clear()
    assert found("irrigation") == []


def test_caption_tracks_are_indexed_when_saved_and_dropped_when_deleted(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = film("subtitled", title_en="Story")
        playable_video(item, "tg", {"ru": "Панджакент на рассвете"})
    assert found("Панджакент") == found("панджакента") == ["subtitled"]
    assert search("Story").facets[3].values[0].value == "ru"  # captions available in Russian
    with django_capture_on_commit_callbacks(execute=True):
        CaptionTrack.objects.get(video__film=item).delete()
    assert found("Панджакент") == []


def test_reindex_command_rebuilds_the_index_and_reports_its_speed(demo):
    SearchDocument.objects.all().delete()
    out = StringIO()
    call_command("reindex", stdout=out)
    listed = Film.objects.listed().count()
    assert SearchDocument.objects.count() == listed == 6
    assert f"Indexed {listed} films" in out.getvalue() and "films/s" in out.getvalue()
    assert f"indexed {listed}/{listed} films" in out.getvalue()
    assert found("Mehrubon") == ["mehrubon-regular-migration"]
    assert SearchTerm.objects.get(term="mehrubon").films == 1
