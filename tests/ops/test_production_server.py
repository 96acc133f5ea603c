"""`mediateka run` as deployed: gunicorn with several processes, JSON logs, health and metrics."""

import json
import subprocess
import sys
import urllib.error
import urllib.request

from tests.live import free_port, process_env, wait_until_answering


def _get(url: str, **headers) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - our loopback server
    try:
        # Generous: a first page of a fresh process on a loaded CI machine can take seconds.
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - our loopback server
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _count(metrics: str) -> float:
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith("mediateka_http_request_duration_seconds_count{") and 'route="healthz"' not in line
    )


def test_production_server_sums_metrics_over_its_processes_and_logs_json(tmp_path):
    env = process_env(tmp_path / "data")
    env.update(
        LOG_FORMAT="json",
        MEDIATEKA_WEB_THREADS="2",
        ALLOWED_HOSTS="media.example.org",
        SECRET_KEY="a-secret-shared-by-every-node-of-this-test-4f1c9e2b7d",
    )
    port = free_port()
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "mediateka", "run", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(base + "/healthz", server, log_path)
        # By address, as a load balancer probes; ALLOWED_HOSTS names only the site.
        status, body = _get(base + "/healthz")
        assert status == 200 and json.loads(body)["status"] == "ok"

        site = {"Host": "media.example.org"}
        for _ in range(12):  # spread over both processes by the kernel's accept queue
            assert _get(base + "/en/", **site)[0] == 200
        # Django logs a warning; nginx's request id is on it and on the access line.
        assert _get(base + "/en/films/no-such-film/", **site, **{"X-Request-ID": "nginx-77e1"})[0] == 404
        # Prometheus scrapes the node by its address, which ALLOWED_HOSTS does not name.
        status, metrics = _get(base + "/metrics", Host=f"127.0.0.1:{port}")
        assert status == 200, metrics
        assert _count(metrics) >= 12  # every process's requests, not only the answering one's
        assert 'route="web:home"' in metrics
    finally:
        server.terminate()
        server.wait(timeout=30)
    lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")]
    access = [line for line in lines if line["logger"] == "gunicorn.access"]
    assert any(line["path"] == "/en/" and line["status"] == "200" for line in access)
    assert all("duration_ms" in line for line in access)
    assert all(len(line["request_id"]) == 32 for line in access if line["path"] == "/en/")
    warning = next(line for line in lines if line["logger"] == "django.request")
    assert warning["level"] == "WARNING" and "no-such-film" in warning["message"]
    assert warning["request_id"] == "nginx-77e1"
    assert any(
        line["path"].endswith("no-such-film/") and line["request_id"] == "nginx-77e1" for line in access
    )
    started = [line["message"] for line in lines if line["logger"] == "mediateka.startup"]
    assert started[0].startswith("migrations: applying ") and " applied in " in started[1]
