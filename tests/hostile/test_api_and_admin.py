"""Crafted input through the JSON API and the admin forms: each refused exactly, and nothing stored.

Every case goes through the real entry point (a token-authenticated API call, a signed-in admin
form post) and asserts the status, a distinctive part of the message, and, through `unchanged`,
that no table row and no stored file moved. Inputs that are accepted on purpose (a title with a
script tag, Windows-1251 subtitles) are at the end, outside the refusals.
"""

# The outreach tests' fixtures (two organisations, an officer of the first, a catalogue) are
# imported and then requested by name, which pyflakes reads as a redefinition.
# ruff: noqa: F811

import json

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from mediateka.api.models import ApiToken
from mediateka.catalogue.models import Film
from mediateka.video.models import CaptionTrack
from tests.api.conftest import add_version, bearer
from tests.outreach.conftest import (  # noqa: F401 (fixtures, used by name)
    AUDIENCE,
    catalogue,
    make_screening,
    officer_a,
    org_a,
    org_b,
)

SRT_RU = "1\r\n00:00:01,000 --> 00:00:03,500\r\nМигранты едут в Москву.\r\n"
# A PNG's signature and header: binary, whatever its name says.
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
OVER_2_MB = b"WEBVTT\n\n" + b"x" * (2 * 1024 * 1024)


@pytest.fixture(autouse=True)
def _quick_passwords(settings):
    # The users' password hashing is not under test here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(catalogue, org_a, org_b, officer_a, editor):
    """A film with a Tajik version and two stored caption files, a screening of each organisation,
    and a token for the editor and for organisation A's officer."""
    add_version(catalogue["films"]["hiv-one"], "tg", captions=("en", "ru"))
    films = catalogue["films"]
    tokens = {}
    for name, user in (("editor", editor), ("officer", officer_a)):
        row, tokens[name] = ApiToken.objects.issue(user)
        # Just used: a refused call then has no reason to write the token's "last used" time.
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    return {
        "tokens": tokens,
        "own": make_screening(org_a, [films["hiv-one"]], locality="Jamoat Tugarak"),
        "other": make_screening(org_b, [films["hiv-two"]], district="khujand"),
    }


def _client() -> Client:
    # A 500 is an answer to assert on, not an exception to stop the test with.
    return Client(raise_request_exception=False)


def _shown(response) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def _assert_refused(response, status: int, *fragments: str):
    text = _shown(response)
    assert response.status_code == status, (response.status_code, text[:2000])
    for fragment in fragments:
        assert fragment in text, (fragment, text[:2000])


def _screening(**changes) -> dict:
    data = {
        "date": "2013-06-01",
        "district": "vose",
        "locality": "Jamoat Vose",
        "venue_kind": "community",
        "films": ["labour-one"],
        **AUDIENCE,
    }
    return {**data, **changes}


NOBODY = dict.fromkeys(AUDIENCE, 0)
PATTERN = "String should match pattern"

# ---------------------------------------------------------------- the JSON API

# (id, who, method, url, body, status, fragments). A dict body is sent as JSON; bytes or str as
# they are, labelled application/json. {own} and {other} are the two screenings' ids.
API_CASES = [
    # Film edits by an editor.
    (
        "film-slug-climbing-out",
        "editor",
        "patch",
        "/api/v1/films/hiv-one",
        {"slug": "../../etc/passwd"},
        422,
        [PATTERN, '"loc": ["body", "payload", "slug"]'],
    ),
    (
        "film-address-climbing-out",
        "editor",
        "patch",
        "/api/v1/films/..%2F..%2Fsettings",
        {"year": 1999},
        404,
        ["Page not found"],
    ),
    (
        "film-new-with-script-slug",
        "editor",
        "post",
        "/api/v1/films",
        {"slug": "<script>alert(1)</script>", "title": {"en": "Fine"}},
        422,
        [PATTERN, '"loc": ["body", "payload", "slug"]'],
    ),
    (
        "film-title-of-100000-characters",
        "editor",
        "patch",
        "/api/v1/films/hiv-one",
        {"title": {"en": "x" * 100_000}},
        422,
        ['"field": "title_en"', "Ensure this value has at most 300 characters (it has 100000)."],
    ),
    (
        "film-title-with-a-nul",
        "editor",
        "patch",
        "/api/v1/films/hiv-one",
        {"title": {"ru": "До\x00после"}},
        422,
        [PATTERN, '"loc": ["body", "payload", "title", "ru"]'],
    ),
    (
        "film-year-in-words",
        "editor",
        "patch",
        "/api/v1/films/hiv-one",
        {"year": "nineteen ninety"},
        422,
        ["Input should be a valid integer"],
    ),
    (
        "film-year-0",
        "editor",
        "patch",
        "/api/v1/films/hiv-one",
        {"year": 0},
        422,
        ["Input should be greater than or equal to 1800"],
    ),
    (
        "film-themes-nested-list",
        "editor",
        "patch",
        "/api/v1/films/hiv-one",
        {"themes": [["health"]]},
        422,
        ["Input should be a valid string", '"loc": ["body", "payload", "themes", 0]'],
    ),
    (
        "film-kind-an-operator-object",
        "editor",
        "patch",
        "/api/v1/films/hiv-one",
        {"kind": {"$ne": ""}},
        422,
        ["Input should be 'feature', 'documentary', 'psa', 'animation' or 'tv'"],
    ),
    (
        # Was a 500: the database adapter could not turn the moment into UTC (OverflowError).
        "film-published-at-the-end-of-the-calendar",
        "editor",
        "patch",
        "/api/v1/films/hiv-one",
        {"published_at": "9999-12-31T23:59:59-14:00"},
        422,
        ['"field": "published_at"', "The year must be between 1800 and 2200."],
    ),
    (
        "film-published-in-year-1",
        "editor",
        "patch",
        "/api/v1/films/hiv-one",
        {"published_at": "0001-01-01T00:00:00+14:00"},
        422,
        ['"field": "published_at"', "The year must be between 1800 and 2200."],
    ),
    (
        # The good title is not saved alongside the refused theme: the change is all or nothing.
        "film-script-title-with-an-unknown-theme",
        "editor",
        "patch",
        "/api/v1/films/hiv-one",
        {"title": {"en": "<script>alert(1)</script>"}, "themes": ["health", "no-such-theme"]},
        422,
        ["There is no theme 'no-such-theme'."],
    ),
    (
        "film-body-not-json",
        "editor",
        "patch",
        "/api/v1/films/hiv-one",
        "title=Hijacked&year=1999",
        400,
        ["Cannot parse request body"],
    ),
    (
        "film-body-not-utf8",
        "editor",
        "patch",
        "/api/v1/films/hiv-one",
        b'{"title": {"en": "\xff\xfe"}}',
        400,
        ["Cannot parse request body"],
    ),
    (
        "film-body-of-3-mb",
        "editor",
        "patch",
        "/api/v1/films/hiv-one",
        {"synopsis": {"en": "x" * 3_000_000}},
        400,
        ["Bad Request (400)"],
    ),
    (
        "film-by-an-outreach-officer",
        "officer",
        "patch",
        "/api/v1/films/hiv-one",
        {"year": 1999},
        403,
        ["Your account may not make this change."],
    ),
    (
        "film-with-a-made-up-token",
        "mtk_not-a-real-token",
        "patch",
        "/api/v1/films/hiv-one",
        {"year": 1999},
        401,
        ["Unauthorized"],
    ),
    # Outreach records by organisation A's officer.
    (
        "screening-negative-audience",
        "officer",
        "post",
        "/api/v1/screenings",
        _screening(**{**NOBODY, "attendees": -5}),
        422,
        ['"field": "attendees"', "A count cannot be negative."],
    ),
    (
        # Was accepted; a second such screening in the month then broke the reach with "integer
        # overflow" on SQLite (a 500 for everyone recording there).
        "screening-absurd-audience",
        "officer",
        "post",
        "/api/v1/screenings",
        _screening(**{**NOBODY, "attendees": 5_000_000}),
        422,
        ['"field": "attendees"', "This number is larger than 1000000, which cannot be right: check it."],
    ),
    (
        "screening-audience-beyond-any-integer",
        "officer",
        "post",
        "/api/v1/screenings",
        _screening(**{**NOBODY, "materials": 10**20}),
        422,
        ['"field": "materials"', "Ensure this value is less than or equal to"],
    ),
    (
        "screening-count-as-a-float",
        "officer",
        "post",
        "/api/v1/screenings",
        _screening(attendees=40.5),
        422,
        ["Input should be a valid integer, got a number with a fractional part"],
    ),
    (
        "screening-in-the-future",
        "officer",
        "post",
        "/api/v1/screenings",
        _screening(date="2999-01-01"),
        422,
        ['"field": "date"', "The date is in the future: record a screening once it has taken place."],
    ),
    (
        "screening-in-year-0",
        "officer",
        "post",
        "/api/v1/screenings",
        _screening(date="0000-01-01"),
        422,
        ["year 0 is out of range"],
    ),
    (
        # Was accepted, and stretched every monthly report over 1,800 years of empty months.
        "screening-in-year-213",
        "officer",
        "post",
        "/api/v1/screenings",
        _screening(date="0213-05-14"),
        422,
        ['"field": "date"', "The year must be between 1950 and"],
    ),
    (
        "screening-district-climbing-out",
        "officer",
        "post",
        "/api/v1/screenings",
        _screening(district="../../etc/passwd"),
        422,
        ["Select a valid choice. ../../etc/passwd is not one of the available choices."],
    ),
    (
        "screening-films-as-objects",
        "officer",
        "post",
        "/api/v1/screenings",
        _screening(films=[{"slug": "hiv-one"}]),
        422,
        ["Input should be a valid string", '"loc": ["body", "payload", "films", 0]'],
    ),
    (
        "screening-of-a-draft-film",
        "officer",
        "patch",
        "/api/v1/screenings/{own}",
        {"films": ["hiv-one", "draft"]},
        422,
        ["Select a valid choice. draft is not one of the available choices."],
    ),
    (
        "screening-body-not-json",
        "officer",
        "post",
        "/api/v1/screenings",
        "<screening date='2013-06-01'/>",
        400,
        ["Cannot parse request body"],
    ),
    (
        "screening-of-another-organisation-changed",
        "officer",
        "patch",
        "/api/v1/screenings/{other}",
        {"attendees": 1, "women": 0, "men": 0},
        404,
        ['{"detail": "Not Found"}'],
    ),
    (
        "screening-of-another-organisation-deleted",
        "officer",
        "delete",
        "/api/v1/screenings/{other}",
        None,
        404,
        ['{"detail": "Not Found"}'],
    ),
    (
        "screening-id-beyond-64-bits",
        "officer",
        "patch",
        f"/api/v1/screenings/{2**64}",
        {"attendees": 1},
        422,
        ["Input should be less than or equal to 9223372036854775807"],
    ),
    (
        # Was a 500: year 1 at UTC+14 is year 0 in UTC, which Python cannot hold (OverflowError).
        "broadcast-aired-in-year-1",
        "officer",
        "post",
        "/api/v1/broadcasts",
        {"channel": "TV", "aired_at": "0001-01-01T00:00:00+14:00", "film": "hiv-one"},
        422,
        ['"field": "aired_at"', "The year must be between 1950 and"],
    ),
    (
        "broadcast-absurd-audience",
        "officer",
        "post",
        "/api/v1/broadcasts",
        {
            "channel": "TV",
            "aired_at": "2013-03-01T19:30:00+05:00",
            "film": "hiv-one",
            "estimated_audience": 2 * 10**9,
        },
        422,
        ['"field": "estimated_audience"', "This number is larger than 1000000000"],
    ),
    # Caption uploads through the API (multipart, so the body column holds the file and the fields).
    (
        "caption-binary-named-vtt",
        "editor",
        "post",
        "/api/v1/films/hiv-one/versions/tg/captions",
        {"file": ("subs.vtt", PNG), "language": "tg"},
        422,
        ["The file is not text in UTF-8, UTF-16 or Windows-1251; save it as UTF-8."],
    ),
    (
        "caption-over-2-mb",
        "editor",
        "post",
        "/api/v1/films/hiv-one/versions/tg/captions",
        {"file": ("subs.vtt", OVER_2_MB), "language": "tg"},
        422,
        ["A caption file may be at most 2 MB."],
    ),
    (
        "caption-language-climbing-out",
        "editor",
        "post",
        "/api/v1/films/hiv-one/versions/tg/captions",
        {"file": ("subs.srt", SRT_RU.encode()), "language": "../ru"},
        422,
        ["Input should be 'en', 'ru' or 'tg'"],
    ),
]


def _send(client, world, who, method, url, body):
    token = world["tokens"].get(who, who)
    url = url.format(own=world["own"].pk, other=world["other"].pk)
    headers = bearer(token)
    if body is None:
        return getattr(client, method)(url, **headers)
    if isinstance(body, dict) and "file" in body and isinstance(body["file"], tuple):
        name, content = body["file"]
        return client.post(url, {**body, "file": SimpleUploadedFile(name, content)}, **headers)
    data = json.dumps(body) if isinstance(body, dict) else body
    return getattr(client, method)(url, data, content_type="application/json", **headers)


@pytest.mark.parametrize(
    ("who", "method", "url", "body", "status", "fragments"),
    [case[1:] for case in API_CASES],
    ids=[case[0] for case in API_CASES],
)
def test_api_refuses_crafted_input_and_stores_nothing(
    unchanged, world, who, method, url, body, status, fragments
):
    client = _client()
    with unchanged():
        response = _send(client, world, who, method, url, body)
    _assert_refused(response, status, *fragments)


# ---------------------------------------------------------------- the admin forms


def _film_form(film: Film, **changes) -> dict:
    """The film change form as the admin would post it, with `changes` over the film's values."""
    data = {
        **{
            f"{field}_{language}": getattr(film, f"{field}_{language}") or ""
            for field in ("title", "synopsis", "audience", "usage_rights")
            for language in ("en", "ru", "tg")
        },
        "slug": film.slug,
        "kind": film.kind,
        "year": film.year or "",
        "themes": [theme.pk for theme in film.themes.all()],
        "collection": "",
        "collection_position": "",
        "project": film.project_id or "",
        "status": film.status,
        "published_at_0": "",
        "published_at_1": "",
        "credits-TOTAL_FORMS": "0",
        "credits-INITIAL_FORMS": "0",
        "videos-TOTAL_FORMS": "0",  # the versions, shown read-only
        "videos-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


FILM_FORM_CASES = [
    ("slug-climbing-out", {"slug": "../../etc"}, "Enter a valid “slug” consisting of letters"),
    ("title-with-a-nul", {"title_en": "Before\x00after"}, "Null characters are not allowed."),
    ("title-of-5000-characters", {"title_en": "x" * 5000}, "Ensure this value has at most 300 characters"),
    ("status-made-up", {"status": "deleted"}, "Select a valid choice. deleted is not one of the available"),
    ("position-negative", {"collection_position": "-1"}, "Ensure this value is greater than or equal to 0."),
    # Both were saved as they were (year 0, year 3000): the API refused them, the admin did not.
    ("year-0", {"year": "0"}, "The year must be between 1800 and 2200."),
    ("year-3000", {"year": "3000"}, "The year must be between 1800 and 2200."),
    # Was a 500: midnight of 1 January of year 1 in Dushanbe is year 0 in UTC.
    (
        "published-in-year-1",
        {"published_at_0": "0001-01-01", "published_at_1": "00:00:00"},
        "The year must be between 1800 and 2200.",
    ),
]


@pytest.mark.parametrize(
    ("changes", "fragment"), [case[1:] for case in FILM_FORM_CASES], ids=[case[0] for case in FILM_FORM_CASES]
)
def test_admin_film_form_refuses_crafted_input_and_stores_nothing(
    unchanged, world, catalogue, editor, changes, fragment
):
    film = catalogue["films"]["hiv-one"]
    client = _client()
    client.force_login(editor)
    with unchanged():
        response = client.post(f"/admin/catalogue/film/{film.pk}/change/", _film_form(film, **changes))
    _assert_refused(response, 200, 'class="errornote"', fragment)


CAPTION_FORM_CASES = [
    ("binary-named-vtt", "subs.vtt", PNG, "The file is not text in UTF-8, UTF-16 or Windows-1251"),
    ("zip-named-srt", "subs.srt", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(40), "The file is not text"),
    ("over-2-mb", "subs.vtt", OVER_2_MB, "A caption file may be at most 2 MB."),
    ("broken-timestamp", "subs.srt", b"1\n00:00:01,000 --> 00:00:0x,000\nBroken\n", "Line 2"),
    ("empty", "subs.vtt", b"", "The submitted file is empty."),
]


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [case[1:] for case in CAPTION_FORM_CASES],
    ids=[case[0] for case in CAPTION_FORM_CASES],
)
def test_admin_caption_form_refuses_crafted_files_and_stores_nothing(
    unchanged, world, catalogue, editor, name, content, fragment
):
    video = catalogue["films"]["hiv-one"].videos.get()
    client = _client()
    client.force_login(editor)
    data = {"video": video.pk, "language": "tg", "kind": "subtitles", "source": "human"}
    with unchanged():
        response = client.post(
            "/admin/video/captiontrack/add/", {**data, "upload": SimpleUploadedFile(name, content)}
        )
    _assert_refused(response, 200, 'class="errornote"', fragment)


def test_admin_post_without_a_csrf_token_is_refused(unchanged, world, catalogue, editor):
    film = catalogue["films"]["hiv-one"]
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(editor)
    with unchanged():
        response = client.post(
            f"/admin/catalogue/film/{film.pk}/change/", _film_form(film, title_en="Hijacked")
        )
    _assert_refused(response, 403, "CSRF verification failed")


# ---------------------------------------------------------------- accepted on purpose


def test_a_title_with_a_script_tag_is_kept_as_text_and_shown_escaped(client, world, catalogue):
    title = "<script>alert(1)</script> & friends"
    response = client.patch(
        "/api/v1/films/hiv-one",
        json.dumps({"title": {"en": title}}),
        content_type="application/json",
        **bearer(world["tokens"]["editor"]),
    )
    assert response.status_code == 200 and Film.objects.get(slug="hiv-one").title_en == title
    html = client.get("/en/films/hiv-one/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends" in html and "<script>alert(1)" not in html


def test_windows_1251_subtitles_are_accepted_and_stored_as_utf8(client, world):
    response = client.post(
        "/api/v1/films/hiv-one/versions/tg/captions",
        {"file": SimpleUploadedFile("subs.srt", SRT_RU.encode("cp1251")), "language": "tg"},
        **bearer(world["tokens"]["editor"]),
    )
    assert response.status_code == 201, response.content
    track = CaptionTrack.objects.get(video__film__slug="hiv-one", language="tg")
    assert "Мигранты едут в Москву." in default_storage.open(track.file).read().decode("utf-8")
