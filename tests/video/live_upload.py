"""The production server (`mediateka run`: gunicorn, two processes, threads) with a film and a signed-in
editor, for the upload tests that need requests really running at once, and for the browser."""

import base64
import contextlib
import http.client
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.live import django_script, free_port, process_env, wait_until_answering

SESSION = """
import json
from django.contrib.auth.models import Group, User
from django.test import Client
from mediateka.catalogue import roles
from mediateka.catalogue.models import Film
film = Film.objects.create(slug="live-upload", title="Live upload")
user = User.objects.create_user("live-editor", password="unused-password-1", is_staff=True)
user.groups.add(Group.objects.get(name=roles.EDITOR))
client = Client()
client.force_login(user)
print(json.dumps({"film": film.pk, "session": client.cookies["sessionid"].value}))
"""
CSRF = "k" * 32
SOURCE = bytes(range(251)) * 2000  # 502,000 bytes, no repeating 256-byte pattern


def query(env, sql: str) -> list[tuple]:
    url = env.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url) as conn:
            return list(conn.execute(sql))
    with sqlite3.connect(Path(env["MEDIATEKA_DATA_DIR"]) / "mediateka.sqlite3", timeout=20) as conn:
        return list(conn.execute(sql))


class Site:
    def __init__(self, env, port: int, session: str, film: int):
        self.env, self.port, self.film, self.session = env, port, film, session
        self.url = f"http://127.0.0.1:{port}"
        self.cookie = f"sessionid={session}; csrftoken={CSRF}"

    def request(self, method: str, path: str, body=b"", **headers) -> tuple[int, dict, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(
                method,
                path,
                body=body,
                headers=self.headers(**headers),
                encode_chunked=not isinstance(body, bytes),
            )
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode()
        finally:
            conn.close()

    def headers(self, **extra) -> dict:
        return {"Tus-Resumable": "1.0.0", "Cookie": self.cookie, "X-CSRFToken": CSRF, **extra}

    def create(self, length: int) -> str:
        meta = ",".join(
            f"{k} {base64.b64encode(str(v).encode()).decode()}"
            for k, v in {"filename": "film.mp4", "film": self.film, "language": "tg"}.items()
        )
        status, headers, body = self.request(
            "POST", "/upload/", **{"Upload-Length": str(length), "Upload-Metadata": meta}
        )
        assert status == 201, body
        return headers["Location"].split(str(self.port), 1)[1]

    def part(self, path: str) -> bytes:
        return (
            Path(self.env["MEDIATEKA_DATA_DIR"]) / "uploads" / f"{path.rsplit('/', 1)[1]}.part"
        ).read_bytes()


@contextlib.contextmanager
def running_site(data: Path, *, quick_ladder: bool = False):
    env = process_env(data, quick_ladder=quick_ladder)
    env.update(MEDIATEKA_WEB_THREADS="4", MEDIATEKA_ACCESS_LOG="false")
    port = free_port()
    log_path = data.parent / "server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "mediateka", "run", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_answering(f"http://127.0.0.1:{port}/healthz", server, log_path)
        made = json.loads(django_script(env, SESSION))
        yield Site(env, port, made["session"], made["film"])
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "Traceback" not in log_path.read_text(), log_path.read_text()[-3000:]
