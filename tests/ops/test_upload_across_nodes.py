"""Two web nodes (`mediateka run` each, one database, data dirs of their own) behind the nginx
site `nginx_config` writes for two upstreams: every chunk of an upload reaches the node that holds
its partial file, and a chunk that reaches the other node anyway is answered 409, never 500."""

import contextlib
import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from mediateka.ops import nginx
from tests.live import django_script, free_port, process_env
from tests.ops.nginx_tools import nginx_binary
from tests.video.live_upload import SESSION, SOURCE, Site
from tests.video.tus import meta

CHUNK = 100_000


def _wait_for(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.2)


@contextlib.contextmanager
def _started(args: list[str], env: dict, port: int, log: Path):
    with log.open("w") as out:
        process = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_for(port, process, log)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_an_upload_through_nginx_stays_on_one_of_two_nodes(tmp_path):
    base = process_env(tmp_path / "a")
    base.setdefault("DATABASE_URL", f"sqlite:///{tmp_path / 'a' / 'mediateka.sqlite3'}")
    base.update(SECRET_KEY="two-nodes-" + "k" * 50, MEDIATEKA_WEB_THREADS="2", MEDIATEKA_ACCESS_LOG="false")
    envs = {name: {**base, "MEDIATEKA_DATA_DIR": str(tmp_path / name)} for name in ("a", "b")}
    ports = {name: free_port() for name in envs}
    front = free_port()
    run_dir = tmp_path / "nginx"
    run_dir.mkdir()
    conf = run_dir / "nginx.conf"
    upstreams = [f"127.0.0.1:{ports[name]}" for name in envs]
    conf.write_text(nginx.standalone(run_dir=run_dir, listen=f"127.0.0.1:{front}", upstream=upstreams))

    def node(name):
        command = [sys.executable, "-m", "mediateka", "run", "--port", str(ports[name]), "--workers", "1"]
        return _started(command, envs[name], ports[name], tmp_path / f"{name}.log")

    # One node at a time: the first applies the migrations.
    with node("a"), node("b"), _started([nginx_binary(), "-c", str(conf), "-p", str(run_dir)], {}, front,
                                        run_dir / "stdout.log"):  # fmt: skip
        made = json.loads(django_script(envs["a"], SESSION))
        site = Site(envs["a"], front, made["session"], made["film"])
        status, headers, body = site.request(
            "POST",
            "/upload/",
            **{
                "Upload-Length": str(len(SOURCE)),
                "Upload-Metadata": meta(filename="film.mp4", film=made["film"], language="tg"),
            },
        )
        assert status == 201, body
        path = urlsplit(headers["Location"]).path
        upload_id = path.rsplit("/", 1)[1]
        parts = {name: tmp_path / name / "uploads" / f"{upload_id}.part" for name in envs}

        def send(to: Site, offset: int):
            return to.request(
                "PATCH",
                path,
                SOURCE[offset : offset + CHUNK],
                **{"Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"},
            )

        status, headers, body = send(site, 0)
        assert (status, headers["Upload-Offset"]) == (204, str(CHUNK)), body
        holder = next(name for name, part in parts.items() if part.exists())
        other = "b" if holder == "a" else "a"
        # A chunk that reaches the node without the upload's bytes (the site bypassed, or a node
        # taken out of the upstream): a clear 409, the client asks for the offset again.
        stray = Site(envs[other], ports[other], made["session"], made["film"])
        status, headers, body = send(stray, CHUNK)
        assert status == 409, body
        assert "holds none of the upload's first 100000 bytes" in body and headers["Upload-Offset"] == "0"

        offset = CHUNK
        while offset < len(SOURCE):
            status, headers, body = send(site, offset)
            assert status == 204, body
            offset = int(headers["Upload-Offset"])
        assert parts[holder].read_bytes() == SOURCE
        assert not parts[other].exists()
        status, headers, _ = site.request("HEAD", path)
        assert int(headers["Upload-Offset"]) == len(SOURCE)
    for name in envs:
        assert "Traceback" not in (tmp_path / f"{name}.log").read_text()
