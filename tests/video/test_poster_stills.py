"""The poster's small copies made afterwards for encodings from before the encoder made them."""

from io import StringIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from mediateka.catalogue.models import Film
from mediateka.video.models import Encoding


def _as_before_stills(encoding: Encoding) -> None:
    for width, _height in encoding.still_sizes:
        default_storage.delete(encoding.still_path(width))
    Encoding.objects.filter(pk=encoding.pk).update(stills="")


def _run() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("make_stills", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_an_old_encoding_gets_the_stills_a_new_one_has(db, playable, client):
    film = Film.objects.create(slug="old-encoding", title="Old encoding", status="published")
    encoding = playable(film, "tg").current_encoding
    made_by_the_encoder = encoding.still_sizes
    _as_before_stills(encoding)

    out, err = _run()

    encoding.refresh_from_db()
    assert encoding.still_sizes == made_by_the_encoder == [(160, 120), (320, 240)]
    assert "Stills made for 1 encoding(s); 0 failed." in out and not err
    for width, _height in encoding.still_sizes:
        response = client.get(f"/media/{encoding.still_path(width)}")
        assert response.status_code == 200
        assert len(b"".join(response.streaming_content)) <= 8 * 1024
    assert "Stills made for 0 encoding(s)" in _run()[0]  # done once: left alone


def test_a_broken_poster_is_reported_and_the_others_still_get_theirs(db, playable):
    films = [Film.objects.create(slug=f"film-{i}", title=f"Film {i}", status="draft") for i in range(2)]
    broken, sound = (playable(film, "tg").current_encoding for film in films)
    for encoding in (broken, sound):
        _as_before_stills(encoding)
    default_storage.delete(broken.path(broken.poster))
    default_storage.save(broken.path(broken.poster), ContentFile(b"not a picture"))

    out, err = _run()

    assert f"Encoding {broken.pk}" in err and "no stills made" in err
    assert "Stills made for 1 encoding(s); 1 failed." in out
    broken.refresh_from_db()
    sound.refresh_from_db()
    assert broken.stills == "" and sound.still_sizes == [(160, 120), (320, 240)]
