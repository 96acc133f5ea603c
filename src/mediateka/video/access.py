"""Who may fetch a media file, and the signed, expiring addresses that let a draft be previewed.

Media live under unguessable prefixes: `encodings/<prefix>/...` and `captions/<prefix>/...`.
A public film's files are served to anyone who has the address; a draft's only through a URL
whose path carries a signature of its prefix and an expiry. The signature sits in the path, not
the query string, so the relative links inside HLS playlists inherit it.
"""

import time

from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.urls import reverse

SALT = "mediateka.video.media"


def scope_of(path: str) -> str | None:
    """The signed unit of a media path: its kind and prefix, e.g. 'encodings/AbC...'."""
    parts = path.split("/")
    if len(parts) < 3 or parts[0] not in ("encodings", "captions") or not parts[1] or ".." in parts:
        return None
    return f"{parts[0]}/{parts[1]}"


def _signature(scope: str, expires: int) -> str:
    return signing.Signer(salt=SALT).signature(f"{scope}:{expires}")


def sign(path: str, lifetime: int | None = None) -> str:
    scope = scope_of(path)
    if scope is None:
        raise ValueError(f"not a media path: {path}")
    expires = int(time.time()) + (lifetime or settings.MEDIATEKA_SIGNED_URL_SECONDS)
    token = f"{expires}-{_signature(scope, expires)}"
    return reverse("media-signed", kwargs={"token": token, "path": path})


def signature_is_valid(path: str, token: str) -> bool:
    scope = scope_of(path)
    expires_text, _, signature = token.partition("-")
    if scope is None or not expires_text.isdigit() or int(expires_text) < time.time():
        return False
    return signing.constant_time_compare(signature, _signature(scope, int(expires_text)))


def public_url(path: str) -> str:
    """A public film's file: straight from the bucket or CDN when object storage serves public
    films (objectstore.s3), else through Django's media view."""
    direct = getattr(default_storage, "public_url", None)
    url = direct(path) if direct is not None else None
    return url or reverse("media", kwargs={"path": path})


def url_for(path: str, *, public: bool) -> str:
    return public_url(path) if public else sign(path)
