"""Django system checks for what a deployment gets wrong and otherwise learns only from its first failure.

`mediateka manage check` runs the cheap ones (FFmpeg, writable folders); `check --deploy` adds the
production ones (the secret, the host list, the media storage). `mediateka run` and `mediateka worker`
run them all but the production-only two before they start (ops.startup), and stop on an error.
Each message names the variable to change.
"""

import os
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core import checks

# The encoders video.ladder asks FFmpeg for.
ENCODERS = ("libx264", "aac")


@checks.register(checks.Tags.security, deploy=True)
def secret_key_set(app_configs=None, **kwargs):
    if not getattr(settings, "MEDIATEKA_SECRET_KEY_GENERATED", False):
        return []
    return [
        checks.Error(
            "SECRET_KEY is not set: this node signs sessions and draft links with a key of its own "
            "(MEDIATEKA_DATA_DIR/secret_key), which no other node accepts.",
            hint="Set SECRET_KEY to the same 50+ random characters on every node "
            "(python3 -c 'import secrets; print(secrets.token_urlsafe(50))').",
            id="mediateka.E001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def allowed_hosts_named(app_configs=None, **kwargs):
    if "*" not in settings.ALLOWED_HOSTS:
        return []
    return [
        checks.Error(
            "ALLOWED_HOSTS is '*': any Host header is believed, so links in e-mails "
            "(password resets) can be made to point at another site.",
            hint="Set ALLOWED_HOSTS to the site's names, e.g. media.example.org; "
            "load balancers and Prometheus may still reach /healthz and /metrics by address.",
            id="mediateka.E002",
        )
    ]


def _ffmpeg() -> str:
    from mediateka.video.binaries import ffmpeg_path

    return ffmpeg_path.__wrapped__()  # not the cached answer: the settings may have changed


@checks.register("mediateka")
def ffmpeg_runs(app_configs=None, **kwargs):
    path = _ffmpeg()
    hint = (
        "Set MEDIATEKA_FFMPEG to an FFmpeg built with libx264 and aac, "
        "or leave it unset to use the FFmpeg installed with Mediateka."
    )
    try:
        done = subprocess.run(  # noqa: S603 - the configured binary, fixed arguments
            [path, "-hide_banner", "-encoders"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        why = getattr(error, "strerror", None) or type(error).__name__
        return [
            checks.Error(f"MEDIATEKA_FFMPEG: {path} cannot be run ({why}).", hint=hint, id="mediateka.E003")
        ]
    listed = {line.split()[1] for line in done.stdout.splitlines() if len(line.split()) > 1}
    missing = [name for name in ENCODERS if name not in listed]
    if done.returncode != 0 or missing:
        what = ", ".join(missing) if missing else f"exit status {done.returncode}"
        return [
            checks.Error(
                f"MEDIATEKA_FFMPEG: {path} cannot encode for Mediateka (missing: {what}).",
                hint=hint,
                id="mediateka.E003",
            )
        ]
    return []


def _writable(folder: Path) -> str | None:
    """None when a file can be made in the folder (made if missing), else why not."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".check-"):
            pass
    except OSError as error:
        return error.strerror or type(error).__name__
    return None


def _folders() -> dict[str, Path]:
    folders = {
        "MEDIATEKA_DATA_DIR": Path(settings.DATA_DIR),
        "MEDIATEKA_WORK_DIR": Path(settings.MEDIATEKA_WORK_DIR),
        "MEDIATEKA_UPLOAD_DIR": Path(settings.MEDIATEKA_UPLOAD_DIR),
    }
    if settings.STORAGES["default"]["BACKEND"].endswith("disk.MediaStorage"):
        folders["MEDIATEKA_DATA_DIR (media)"] = Path(settings.MEDIA_ROOT)
    return folders


@checks.register("mediateka")
def folders_writable(app_configs=None, **kwargs):
    errors = []
    for variable, folder in _folders().items():
        why = _writable(folder)
        if why:
            errors.append(
                checks.Error(
                    f"{variable}: {folder} cannot be written ({why}).",
                    hint=f"Give the user Mediateka runs as (uid {os.geteuid()}) write access to it, "
                    f"or set {variable.split()[0]} to a folder it owns.",
                    id="mediateka.E005",
                )
            )
    return errors


@checks.register("mediateka", deploy=True)
def media_storage_writable(app_configs=None, **kwargs):
    """The media storage takes a file and gives it back: for S3, the bucket exists and the keys work."""
    from mediateka.ops.health import _storage

    try:
        _storage()
    except Exception as error:  # whatever the backend raises: the message names it
        s3 = bool(settings.MEDIATEKA_S3_BUCKET)
        variable = "MEDIATEKA_S3_BUCKET" if s3 else "MEDIATEKA_DATA_DIR"
        where = f"bucket {settings.MEDIATEKA_S3_BUCKET!r}" if s3 else str(settings.MEDIA_ROOT)
        detail = str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__
        hint = (
            "Create the bucket, or correct MEDIATEKA_S3_BUCKET, MEDIATEKA_S3_ENDPOINT_URL and the "
            "MEDIATEKA_S3_* keys."
            if s3
            else "Give the user Mediateka runs as write access to the media folder."
        )
        return [
            checks.Error(
                f"{variable}: the media storage ({where}) cannot be written: {detail}",
                hint=hint,
                id="mediateka.E004",
            )
        ]
    return []
