"""docs/deploy.md's one-host steps, followed from the guide's own text in a temporary root.

The env file comes from the guide's shell block (its generated SECRET_KEY included), the systemd
units' command lines and environments from its unit files, the nginx sites from its
`nginx_config` lines (with ports, certificate and webroot moved into the temporary root). Steps
that need root-owned system services (apt-get, useradd, PostgreSQL roles, systemctl, certbot) are
not run: a self-signed certificate stands in for certbot's, moto's S3 server for the bucket the
guide sets up. The database is SQLite, or, when the suite runs on PostgreSQL, fresh databases on
that cluster.
"""

import http.client
import json
import os
import re
import shlex
import ssl
import stat
import subprocess
import sys
from pathlib import Path

from mediateka.ops import nginx
from tests.live import ROOT, django_script, free_port, process_env
from tests.ops.nginx_tools import nginx_binary, nginx_test, self_signed
from tests.ops.test_upload_across_nodes import _started
from tests.storage.conftest import KEYS, s3_client, s3_server  # noqa: F401 - the fixture

GUIDE = (ROOT / "docs" / "deploy.md").read_text()
HOST = "media.example.org"
FILM = """
import json
from pathlib import Path
from mediateka.catalogue.models import Film
from mediateka.video import access
from tests.video import factories
scratch = Path({scratch!r})
film = factories.film("restored-film")
Film.objects.filter(pk=film.pk).update(title="Фильм о дороге")
(scratch / "original.mp4").write_bytes(b"never read: no encode runs here")
encoding = factories.stored_encoding(
    factories.video_with_original(film, scratch / "original.mp4"), scratch / "encoding", segment=b"\\2" * 4096
)
segment = access.public_url(encoding.path("144p/seg_00001.m4s"))
print(json.dumps({{"page": film.get_absolute_url(), "segment": segment}}))
"""
ADMINS = """
from django.contrib.auth.models import User
print([(u.username, u.is_superuser) for u in User.objects.all()])
"""


def _section(heading: str) -> str:
    start = GUIDE.index(heading)
    following = GUIDE.find("\n### ", start + len(heading))
    return GUIDE[start : following if following != -1 else None]


def _blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.DOTALL)


def _units() -> dict[str, dict[str, list[str]]]:
    """The guide's unit files: {name: {key: [values]}}."""
    units: dict[str, dict[str, list[str]]] = {}
    for block in _blocks(_section("### 6. systemd units"), "ini"):
        for part in re.split(r"^# /etc/systemd/system/", block, flags=re.MULTILINE)[1:]:
            name, _, body = part.partition("\n")
            keys: dict[str, list[str]] = {}
            for line in body.splitlines():
                if "=" in line and not line.startswith(("#", "[")):
                    key, _, value = line.partition("=")
                    keys.setdefault(key, []).append(value.split("  #")[0].strip())
            units[name.split()[0]] = keys
    return units


def _env_file(root: Path) -> Path:
    """Runs the guide's `cat > /etc/mediateka.env` block with its paths under root."""
    block = next(b for b in _blocks(_section("### 4. /etc/mediateka.env"), "sh") if "cat >" in b)
    script = block[block.index("cat >") :].replace("/etc/mediateka.env", str(root / "etc/mediateka.env"))
    script = script.replace("/var/lib/mediateka", str(root / "var/lib/mediateka"))
    (root / "etc").mkdir(parents=True)
    subprocess.run(["sh", "-e", "-c", script], env={**os.environ, "DB_PASSWORD": "pw"}, check=True)
    return root / "etc/mediateka.env"


def _service_env(env_file: Path, unit: dict[str, list[str]], root: Path) -> dict[str, str]:
    """The environment systemd gives the unit: Environment=, then EnvironmentFile= over it."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG")}
    # The units run in the data dir: a relative PYTHONPATH (the suite's `src`) must still find this code.
    paths = env.get("PYTHONPATH", "").split(os.pathsep)
    env["PYTHONPATH"] = os.pathsep.join(str(Path(p).resolve()) for p in paths if p)
    for assignment in unit.get("Environment", []):
        key, _, value = assignment.partition("=")
        env[key] = value.replace("/var/lib/mediateka", str(root / "var/lib/mediateka"))
    for line in env_file.read_text().splitlines():
        key, _, value = line.partition("=")
        env[key] = value
    return env


def _with_tests(env: dict[str, str]) -> str:
    """PYTHONPATH with the repository too, for a script that uses the tests' factories."""
    return os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))


def _command(unit: dict[str, list[str]], **replace: str) -> list[str]:
    argv = shlex.split(unit["ExecStart"][0])
    assert argv[0] == "/opt/mediateka/venv/bin/mediateka", argv
    argv = [sys.executable, "-m", "mediateka", *argv[1:]]
    return [replace.get(arg, arg) for arg in argv]


def _nginx_lines() -> list[list[str]]:
    block = _blocks(_section("### 7. nginx, then TLS"), "sh")[0]
    return [
        shlex.split(line.split(" manage ", 1)[1].split(" >")[0])
        for line in block.splitlines()
        if "nginx_config" in line
    ]


def _mediateka(env, cwd: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "mediateka", *args], env=env, cwd=cwd, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _get(port: int, path: str) -> tuple[int, str, dict]:
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # the self-signed stand-in
    conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=30, context=context)
    try:
        conn.request("GET", path, headers={"Host": HOST})
        response = conn.getresponse()
        return response.status, response.read().decode(), {k.lower(): v for k, v in response.getheaders()}
    finally:
        conn.close()


def test_the_one_host_guide_from_nothing_to_a_restored_site_behind_tls(tmp_path):
    root = tmp_path / "root"
    data = root / "var/lib/mediateka"
    data.mkdir(parents=True)
    env_file = _env_file(root)
    written = dict(line.split("=", 1) for line in env_file.read_text().splitlines())
    assert len(written["SECRET_KEY"]) >= 50 and written["MEDIATEKA_DATA_DIR"] == str(data)
    assert written["DATABASE_URL"] == "postgres://mediateka:pw@127.0.0.1/mediateka"

    units = _units()
    assert set(units) >= {"mediateka-web.service", "mediateka-worker.service", "mediateka-backup.service"}
    assert "mediateka-backup.timer" in units and units["mediateka-backup.timer"]["OnCalendar"]
    for name in ("mediateka-web.service", "mediateka-worker.service", "mediateka-backup.service"):
        assert units[name]["WorkingDirectory"] == ["/var/lib/mediateka"], name  # never the cwd
        assert units[name]["Environment"] == ["MEDIATEKA_DATA_DIR=/var/lib/mediateka"], name
    # The database the guide makes in PostgreSQL: here SQLite in the data dir, or a fresh PG one.
    database = process_env(data).get("DATABASE_URL") or f"sqlite:///{data / 'mediateka.sqlite3'}"
    service = _service_env(env_file, units["mediateka-web.service"], root) | {"DATABASE_URL": database}

    # 5. check, migrate, the first administrator (as the guide's createsuperuser, without prompts)
    _mediateka(service, data, "manage", "migrate")
    checked = _mediateka(service, data, "manage", "check", "--deploy")
    assert "no issues" in checked, checked
    admin = service | {"DJANGO_SUPERUSER_PASSWORD": "a-long-admin-password-1"}
    _mediateka(
        admin, data, "manage", "createsuperuser", "--noinput", "--username", "admin", "--email", "a@x.org"
    )
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    film = json.loads(
        django_script(service | {"PYTHONPATH": _with_tests(service)}, FILM.format(scratch=str(scratch)))
    )

    # 7. the HTTP-only site passes `nginx -t` before any certificate exists (the TLS one: below).
    first, second = _nginx_lines()
    assert "--no-tls" in first and "--no-tls" not in second and first[0] == second[0] == "nginx_config"
    acme = ["--acme-root", str(root / "var/www/letsencrypt")]
    done = nginx_test(_mediateka(service, data, "manage", *first, *acme), tmp_path / "nginx-http")
    assert done.returncode == 0, done.stderr

    # The nightly backup, by the backup unit's command line; then --verify on the archive.
    backup_service = _service_env(env_file, units["mediateka-backup.service"], root) | {
        "DATABASE_URL": database
    }
    done = subprocess.run(
        _command(units["mediateka-backup.service"]),
        env=backup_service,
        cwd=data,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    archive = next((data / "backups").glob("mediateka-*.tar"))
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert stat.S_IMODE(archive.parent.stat().st_mode) == 0o700
    assert "is whole" in _mediateka(service, data, "manage", "backup", "--verify", str(archive))

    # A new host: the same env file, an empty data dir and an empty database; restore, then serve.
    new_data = tmp_path / "new-root/var/lib/mediateka"
    new_data.mkdir(parents=True)
    new_database = process_env(new_data).get("DATABASE_URL") or f"sqlite:///{new_data / 'mediateka.sqlite3'}"
    restored = service | {"MEDIATEKA_DATA_DIR": str(new_data), "DATABASE_URL": new_database}
    assert "every checksum verified" in _mediateka(restored, new_data, "manage", "restore", str(archive))
    assert django_script(restored, ADMINS).strip() == "[('admin', True)]"

    # The new host's TLS site, with a self-signed certificate where certbot's would be.
    certificate, key = self_signed(root / f"etc/letsencrypt/live/{HOST}", HOST)
    https, web = free_port(), free_port()
    tls_options = [
        "--https-port",
        str(https),
        "--http-port",
        str(free_port()),
        "--upstream",
        f"127.0.0.1:{web}",
    ]
    site = _mediateka(restored, new_data, "manage", *second, *acme, *tls_options,
                      "--certificate", str(certificate), "--certificate-key", str(key))  # fmt: skip
    done = nginx_test(site, tmp_path / "nginx-tls")
    assert done.returncode == 0, done.stderr
    run_dir = tmp_path / "nginx-run"
    run_dir.mkdir()
    conf = run_dir / "nginx.conf"
    conf.write_text(nginx.wrap(site, run_dir))
    web_command = _command(units["mediateka-web.service"], **{"8000": str(web)})
    with (
        _started(web_command, restored, web, tmp_path / "web.log"),
        _started([nginx_binary(), "-c", str(conf), "-p", str(run_dir)], {}, https, run_dir / "out.log"),
    ):
        status, body, _ = _get(https, "/healthz")
        assert status == 200 and json.loads(body)["status"] == "ok", body
        status, body, _ = _get(https, film["page"])
        assert status == 200 and "Фильм о дороге" in body
        status, body, headers = _get(https, film["segment"])  # the public link remade by restore
        assert status == 200 and body == "\2" * 4096
        assert "immutable" in headers["cache-control"] and "content-security-policy" not in headers  # nginx


def test_the_guides_bucket_commands_make_a_bucket_the_site_can_use(tmp_path, s3_server):  # noqa: F811
    """The *Object storage* steps against moto's server, which the guide names for trying out."""
    root = tmp_path / "root"
    data = root / "var/lib/mediateka"
    data.mkdir(parents=True)
    env_file = _env_file(root)
    section = GUIDE[GUIDE.index("**A self-hosted S3 server.**") :]
    settings_block = next(b for b in _blocks(section, "sh") if "MEDIATEKA_S3_BUCKET=" in b)
    lines = [line.strip() for line in env_file.read_text().splitlines()]
    assert "# and delete the MEDIATEKA_ACCEL_REDIRECT line" in settings_block
    lines = [line for line in lines if not line.startswith("MEDIATEKA_ACCEL_REDIRECT=")]
    ours = {
        "MEDIATEKA_S3_ENDPOINT_URL": s3_server,
        "MEDIATEKA_S3_ACCESS_KEY_ID": KEYS["access_key"],
        "MEDIATEKA_S3_SECRET_ACCESS_KEY": KEYS["secret_key"],
    }
    for line in settings_block.splitlines():
        key, _, value = line.strip().partition("=")
        if value and not key.startswith("#"):
            lines.append(f"{key}={ours.get(key, value)}")
    env_file.write_text("\n".join(lines) + "\n")
    database = process_env(data).get("DATABASE_URL") or f"sqlite:///{data / 'mediateka.sqlite3'}"
    service = _service_env(env_file, _units()["mediateka-web.service"], root) | {"DATABASE_URL": database}

    commands = next(
        b for b in _blocks(GUIDE[GUIDE.index("### Object storage and CDN") :], "sh") if "storage_setup" in b
    )
    outputs = []
    for line in commands.splitlines():
        argv = shlex.split(line, comments=True)
        assert argv[0] == "as_mediateka", line
        outputs.append(_mediateka(service, data, *argv[1:]))
    assert "bucket mediateka-media: created, private" in outputs[0]
    assert "no issues" in outputs[1], outputs[1]  # check --deploy wrote and deleted an object
    rules = s3_client(s3_server).get_bucket_cors(Bucket="mediateka-media")["CORSRules"]
    assert rules[0]["AllowedOrigins"] == [f"https://{HOST}", "*"]
