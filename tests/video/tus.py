"""tus 1.0 requests through Django's test client, as the upload page (or any tus client) sends them."""

import base64
import hashlib

from mediateka.video.models import Upload

TUS = {"Tus-Resumable": "1.0.0"}


def meta(**values) -> str:
    return ",".join(f"{k} {base64.b64encode(str(v).encode()).decode()}" for k, v in values.items())


def create(client, film, data: bytes, name="film.mp4", language="tg", **extra_meta):
    return client.post(
        "/upload/",
        headers={
            **TUS,
            "Upload-Length": str(len(data)),
            "Upload-Metadata": meta(filename=name, film=film.pk, language=language, **extra_meta),
        },
    )


def url_of(created) -> str:
    return created["Location"].removeprefix("http://testserver")


def patch(client, url, chunk: bytes, offset: int, checksum: str | None = None, **extra):
    headers = {**TUS, "Upload-Offset": str(offset)}
    if checksum:
        headers["Upload-Checksum"] = checksum
    return client.generic(
        "PATCH", url, chunk, content_type="application/offset+octet-stream", headers=headers, **extra
    )


def sha256_header(chunk: bytes) -> str:
    return "sha256 " + base64.b64encode(hashlib.sha256(chunk).digest()).decode()


def upload(client, film, data: bytes, **options) -> Upload:
    """Creates an upload and sends the whole file in one PATCH; returns the upload (not yet checked)."""
    created = create(client, film, data, **options)
    assert created.status_code == 201, created.content
    done = patch(client, url_of(created), data, 0)
    assert done.status_code == 204, done.content
    return Upload.objects.get(pk=url_of(created).rsplit("/", 1)[1])


def finish(item: Upload) -> str:
    """Runs the check-and-store job of a fully received upload, as the worker does."""
    from mediateka.video import intake

    return intake.finish(str(item.pk))
