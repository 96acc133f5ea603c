"""The test base: one user per role, plain static files, media in a temporary folder, the quick ladder
unless a test asks for the full one, and the one film the test run encodes."""

import functools

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.utils import translation

from mediateka.catalogue import roles
from tests.media import EncodedFilm, encode_once, playable_copy


@pytest.fixture(autouse=True)
def _english_by_default():
    # LocaleMiddleware activates the request's language and leaves it active in the thread.
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    # The manifest storage needs collectstatic; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIATEKA_PUBLIC_MEDIA_DIR = tmp_path / "public"
    settings.MEDIATEKA_UPLOAD_DIR = tmp_path / "uploads"
    settings.MEDIATEKA_WORK_DIR = tmp_path / "work"


@pytest.fixture(autouse=True)
def _empty_response_cache(settings):
    # The cache (API responses, public pages) outlives each test's rolled-back transaction, and the data
    # dir's file cache is shared with whatever else runs there: each test gets an empty one of its own.
    settings.CACHES = {
        **settings.CACHES,
        "responses": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    caches["responses"].clear()


def _member(django_user_model, username: str, group: str | None, *, staff: bool = True):
    user = django_user_model.objects.create_user(username, password="test-password-1", is_staff=staff)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("root", password="test-password-1")


@pytest.fixture
def editor(django_user_model):
    return _member(django_user_model, "editor", roles.EDITOR)


@pytest.fixture
def outreach_officer(django_user_model):
    return _member(django_user_model, "officer", roles.OUTREACH_OFFICER)


@pytest.fixture
def outsider(django_user_model):
    return _member(django_user_model, "outsider", None, staff=False)


@pytest.fixture
def demo(db):
    from mediateka.demo.loader import load

    load()


@pytest.fixture(autouse=True)
def _quick_ladder(request, settings):
    # An encode with every rung at the production preset costs seconds of both cores; a test that follows
    # an encode's states needs one rung. Tests of the ladder itself are marked full_ladder.
    if request.node.get_closest_marker("full_ladder") is None:
        settings.MEDIATEKA_LADDER = "quick"


@pytest.fixture(scope="session")
def encoded_film(tmp_path_factory) -> EncodedFilm:
    """The one film the test run encodes for real (tests.media), made when a test first asks for it."""
    return encode_once(tmp_path_factory.mktemp("encoded-film"))


@pytest.fixture
def playable(db, encoded_film):
    """`playable(film, language="tg")`: a version of the film that plays a copy of the encoded film."""
    return functools.partial(playable_copy, encoded_film)
