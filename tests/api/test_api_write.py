"""Editors' writes through the API: token authentication and the admin's own permissions."""

from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from mediateka.api.models import ApiToken
from mediateka.catalogue.models import Film, Status, Theme
from mediateka.video.models import CaptionTrack, Video

from .conftest import bearer

NEW_FILM = {"slug": "new-psa", "title": {"en": "New PSA", "tg": "Эълони нав"}, "kind": "psa", "year": 2014}
SRT = b"1\n00:00:01,000 --> 00:00:03,000\nHello\n\n2\n00:00:04,000 --> 00:00:06,000\nAgain\n"


def _post(client, url, data, token=None):
    headers = bearer(token) if token else {}
    return client.post(url, data, content_type="application/json", **headers)


def test_writing_without_a_token_is_401(client, db):
    assert _post(client, "/api/v1/films", NEW_FILM).status_code == 401
    assert _post(client, "/api/v1/films", NEW_FILM, token="mtk_not-a-real-token").status_code == 401
    assert not Film.objects.exists()


def test_a_session_login_is_not_a_token(client, editor):
    client.force_login(editor)
    assert _post(client, "/api/v1/films", NEW_FILM).status_code == 401


def test_editor_creates_a_draft_film(client, tokens):
    Theme.objects.create(key="health", name_en="Health")
    response = _post(client, "/api/v1/films", {**NEW_FILM, "themes": ["health"]}, tokens["editor"])
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["themes"] == ["health"]
    film = Film.objects.get(slug="new-psa")
    assert (film.title_en, film.title_tg, film.kind) == ("New PSA", "Эълони нав", "psa")
    # A draft is the editor's, not the public's.
    assert client.get("/api/v1/films/new-psa").status_code == 404


@pytest.mark.parametrize("who", ["officer", "outsider"])
def test_outreach_officers_and_outsiders_cannot_write(client, tokens, make_film, who):
    make_film("existing")
    assert _post(client, "/api/v1/films", NEW_FILM, tokens[who]).status_code == 403
    patch = client.patch(
        "/api/v1/films/existing", {"year": 1999}, content_type="application/json", **bearer(tokens[who])
    )
    assert patch.status_code == 403
    assert Film.objects.get(slug="existing").year == 2013
    assert (
        client.post("/api/v1/films/existing/versions/tg/reencode", **bearer(tokens[who])).status_code == 403
    )


def test_the_permission_is_the_admins_not_the_group_name(client, tokens, editor):
    from django.contrib.auth.models import Permission

    editor.groups.clear()
    editor.user_permissions.add(Permission.objects.get(codename="add_film"))
    assert _post(client, "/api/v1/films", NEW_FILM, tokens["editor"]).status_code == 201
    editor.is_staff = False  # the admin lets no non-staff account in, whatever it holds
    editor.save()
    assert _post(client, "/api/v1/films", {**NEW_FILM, "slug": "other"}, tokens["editor"]).status_code == 403


def test_editor_updates_a_film_and_publishes_it(client, tokens, make_film):
    make_film("to-publish", status=Status.DRAFT)
    response = client.patch(
        "/api/v1/films/to-publish",
        {"status": "published", "synopsis": {"ru": "Синопсис."}},
        content_type="application/json",
        **bearer(tokens["editor"]),
    )
    assert response.status_code == 200, response.content
    film = Film.objects.get(slug="to-publish")
    assert film.status == "published" and film.published_at is not None
    assert film.synopsis_ru == "Синопсис." and film.synopsis_en == "A film about safe migration."
    assert client.get("/api/v1/films/to-publish").status_code == 200


def test_invalid_film_data_is_refused_with_the_field_named(client, tokens, make_film):
    make_film("taken")
    response = _post(
        client,
        "/api/v1/films",
        {**NEW_FILM, "slug": "taken", "themes": ["nope"], "collection": "nope"},
        tokens["editor"],
    )
    assert response.status_code == 422
    fields = {problem["field"] for problem in response.json()["detail"]}
    assert fields == {"slug", "themes", "collection"}
    assert (
        _post(
            client, "/api/v1/films", {**NEW_FILM, "title": {"ru": "Только русский"}}, tokens["editor"]
        ).status_code
        == 422
    )


def test_revoked_tokens_stop_working_and_use_is_recorded(client, tokens, editor):
    token = ApiToken.objects.get(user=editor)
    assert token.last_used_at is None
    assert _post(client, "/api/v1/films", NEW_FILM, tokens["editor"]).status_code == 201
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.digest != tokens["editor"] and tokens["editor"] not in str(vars(token))
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=token.last_used_at)
    assert _post(client, "/api/v1/films", {**NEW_FILM, "slug": "again"}, tokens["editor"]).status_code == 401


def test_issue_api_token_command_prints_a_working_token(client, editor):
    out = StringIO()
    call_command("issue_api_token", "editor", "--name", "partner site", stdout=out)
    token = out.getvalue().strip()
    assert token.startswith("mtk_")
    assert _post(client, "/api/v1/films", NEW_FILM, token).status_code == 201


def _upload(client, token, data=SRT, language="tg", version="tg"):
    # The film's Tajik version comes with English and Russian captions (conftest); these add Tajik ones.
    return client.post(
        f"/api/v1/films/captioned/versions/{version}/captions",
        {"file": SimpleUploadedFile("subs.srt", data), "language": language},
        **bearer(token),
    )


def test_editor_uploads_captions_stored_as_webvtt(client, tokens, make_film):
    make_film("captioned")
    response = _upload(client, tokens["editor"])
    assert response.status_code == 201, response.content
    track = CaptionTrack.objects.get(video__film__slug="captioned", language="tg")
    assert track.cue_count == 2
    assert default_storage.open(track.file).read().decode().startswith("WEBVTT")
    again = _upload(client, tokens["editor"])
    assert again.status_code == 200 and again.json()["replaced"] is True


def test_bad_caption_files_are_refused_with_line_numbers(client, tokens, make_film):
    make_film("captioned")
    response = _upload(client, tokens["editor"], data=b"1\n00:00:01,000 --> 00:00:0x,000\nBroken\n")
    assert response.status_code == 422
    assert "Line 2" in str(response.json()["detail"])
    assert not CaptionTrack.objects.filter(language="tg").exists()


def test_officer_cannot_upload_captions(client, tokens, make_film):
    make_film("captioned")
    assert _upload(client, tokens["officer"]).status_code == 403
    assert _upload(client, tokens["editor"], version="uz").status_code == 404


def test_editor_starts_a_reencode_after_commit(client, tokens, make_film, django_capture_on_commit_callbacks):
    make_film("to-encode")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/films/to-encode/versions/tg/reencode", **bearer(tokens["editor"]))
    assert response.status_code == 202 and response.json()["status"] == "queued"
    job = DBTaskResult.objects.get()
    video = Video.objects.get(film__slug="to-encode")
    assert job.args_kwargs["args"] == [video.pk, True]


def test_reencode_without_an_original_is_a_conflict(client, tokens, make_film):
    film = make_film("no-original")
    Video.objects.filter(film=film).update(original="")
    assert (
        client.post("/api/v1/films/no-original/versions/tg/reencode", **bearer(tokens["editor"])).status_code
        == 409
    )


def test_editor_reads_why_a_version_failed_and_whether_it_still_plays(client, tokens, make_film):
    film = make_film("failed-encode")
    reason = "FFmpeg could not encode the file: Invalid data found when processing input."
    Video.objects.filter(film=film).update(status=Video.Status.FAILED, error=reason, progress=0)

    response = client.get("/api/v1/films/failed-encode/versions/tg/encoding", **bearer(tokens["editor"]))

    assert response.status_code == 200
    assert response.json() == {
        "film": "failed-encode",
        "version": "tg",
        "status": "failed",
        "status_name": "Failed",
        "progress": 0.0,
        "error": reason,
        "playable": True,  # the encoding made before the failure goes on playing
    }
    assert client.get("/api/v1/films/failed-encode/versions/tg/encoding").status_code == 401
    outsider = client.get("/api/v1/films/failed-encode/versions/tg/encoding", **bearer(tokens["outsider"]))
    assert outsider.status_code == 403
    missing = client.get("/api/v1/films/failed-encode/versions/uz/encoding", **bearer(tokens["editor"]))
    assert missing.status_code == 404
