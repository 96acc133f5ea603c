import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from mediateka import env


@pytest.mark.parametrize(
    ("reader", "value", "message"),
    [
        (lambda: env.env_bool("X_FLAG", False), "maybe", "X_FLAG must be true or false"),
        (lambda: env.env_int("X_NUMBER", 1), "ten", "X_NUMBER must be a whole number"),
        (lambda: env.env_int("X_NUMBER", 1, minimum=0), "-3", "X_NUMBER must be at least 0"),
        (lambda: env.env_choice("X_CHOICE", "a", ["a", "b"]), "c", "X_CHOICE must be one of a, b"),
    ],
)
def test_typed_readers_fail_loudly_naming_the_variable(monkeypatch, reader, value, message):
    monkeypatch.setenv("X_FLAG", value)
    monkeypatch.setenv("X_NUMBER", value)
    monkeypatch.setenv("X_CHOICE", value)
    with pytest.raises(ImproperlyConfigured, match=message):
        reader()


def test_readers_return_typed_values(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    monkeypatch.setenv("X_NUMBER", "1_000")
    monkeypatch.setenv("X_LIST", "a.org, b.org,")
    assert env.env_bool("X_FLAG", False) is True
    assert env.env_int("X_NUMBER", 0) == 1000
    assert env.env_list("X_LIST", []) == ["a.org", "b.org"]
    assert env.env_str("X_MISSING", "d") == "d"
    with pytest.raises(ImproperlyConfigured, match="Set the environment variable X_MISSING"):
        env.env_str("X_MISSING")


def _manage(args, tmp_path, **extra):
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG", "MEDIATEKA_HTTPS")
    }
    environ.update(MEDIATEKA_DATA_DIR=str(tmp_path), **extra)
    return subprocess.run(
        [sys.executable, "-m", "mediateka", "manage", *args], env=environ, capture_output=True, text=True
    )


def test_bad_setting_stops_start_up_with_its_name(tmp_path):
    result = _manage(["check"], tmp_path, DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_production_settings_pass_check_deploy(tmp_path):
    result = _manage(
        ["check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        SECRET_KEY="x" * 20 + "-production-secret-that-is-long-and-random-7c1e9a",
        MEDIATEKA_HTTPS="true",
        ALLOWED_HOSTS="media.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_secret_key_is_kept_in_the_data_dir_and_private(tmp_path):
    assert _manage(["check"], tmp_path).returncode == 0
    key_file = tmp_path / "secret_key"
    assert len(key_file.read_text()) >= 50
    assert key_file.stat().st_mode & 0o077 == 0
    first = key_file.read_text()
    _manage(["check"], tmp_path)
    assert key_file.read_text() == first


def test_no_migration_is_missing(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_the_quick_ladder_cannot_be_switched_on_from_the_environment(tmp_path):
    # The test suite's quick ladder comes from a settings module of its own, never from a variable.
    show = [
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.MEDIATEKA_LADDER)",
    ]
    result = _manage(show, tmp_path, MEDIATEKA_LADDER="quick")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "full"
