"""The public pages under load, rendered afresh and from the page cache, and what each page weighs.

Set-up, in a temporary data dir: `mediateka demo` (the demo catalogue, its sample screenings and
broadcasts, and its sample clips) and `mediateka worker --batch` (encodes them, so that the film
pages have their player and poster). Then the production server (`mediateka run`: gunicorn,
loopback only) twice on the same data: one with MEDIATEKA_PAGE_CACHE=false, every page rendered
for every request as before the cache (the baseline of the same run), one with the cache. Four
clients at once, each on a keep-alive connection, cycle through each page's addresses (its three
languages, filters, every film) for SECONDS in all, in six rounds alternating between the two
servers, page by page, so that both figures of a page see the same load from the rest of the
machine. The baseline's clients ask for no compression (the server had none); the cached run's
ask for gzip, as browsers do. The CPU time that each server's processes (gunicorn's master and
workers, from /proc) used per request is printed too: the rest of the machine sways it far less
than it sways requests/s, so its ratio says what the cache saves when requests/s cannot. Target:
cached requests/s >= 10x the baseline's for the home page, the film list, a film, the mission and
the reach pages (a collection's is measured too).

Also printed: the database queries of one request, rendered and from the cache, and the CPU time
of one request through Django alone (its test client, no server, no network), in a process on the
same data dir and cache; and each page's weight: its HTML with the stylesheets and scripts it
loads, raw and as sent gzipped (static files come precompressed by WhiteNoise), and with the images
it shows (posters: JPEG, not compressed again).

`python -m bench pages`. Environment: BENCH_PAGES_SECONDS (6), BENCH_PAGES_SAMPLES=0 skips the
clips and their encoding (no posters), BENCH_PAGES_DATA_DIR reuses a data dir already set up.
"""

import gzip
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from tests.live import free_port, wait_until_answering

from bench.api import _load, _warm
from bench.load import _cpu_seconds, _environment, _mediateka, _start, _stop

SECONDS = float(os.environ.get("BENCH_PAGES_SECONDS", 6))
ROUNDS = 6
SAMPLES = os.environ.get("BENCH_PAGES_SAMPLES", "1") != "0"
TARGET = 10.0
TARGET_PAGES = ("home", "film list", "film page", "mission", "reach")  # the issue's; a collection is extra
LANGUAGES = ("en", "ru", "tg")
BROWSER = {"Accept-Language": "ru,en;q=0.8", "Accept-Encoding": "gzip, deflate, br"}
PLAIN = {"Accept-Language": "ru,en;q=0.8"}

QUERIES = r"""
import json, time
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

def cpu_ms(path, headers, times):
    # Best of three: the least the rest of the machine added.
    client.get(path, headers=headers)
    best = []
    for _ in range(3):
        started = time.process_time()
        for _ in range(times):
            client.get(path, headers=headers)
        best.append((time.process_time() - started) / times * 1000)
    return min(best)

out = {}
client = Client(HTTP_HOST="127.0.0.1")
for name, path in PATHS.items():
    counts = []
    for _ in range(2):  # the first renders (or finds the server's entry), the second is a hit
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200, path
        counts.append(len(captured))
    with override_settings(MEDIATEKA_PAGE_CACHE=False):
        rendered = cpu_ms(path, {}, 20)
    out[name] = counts + [rendered, cpu_ms(path, {"Accept-Encoding": "gzip"}, 200)]
print(json.dumps(out))
"""


class _Loads(HTMLParser):
    """What a browser fetches to show the page: stylesheets, scripts, images and video posters."""

    def __init__(self):
        super().__init__()
        self.code: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.code.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.code.append(attrs["src"])
        elif tag == "img" and attrs.get("src"):
            self.images.append(attrs["src"])
        elif tag == "video" and attrs.get("poster"):
            self.images.append(attrs["poster"])


def _get(port: int, path: str, headers: dict) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()  # as sent: http.client does not decompress
    finally:
        connection.close()


def _python(env: dict, code: str) -> str:
    """Runs `code` in a Django process on the benchmark's data dir; its last line of output."""
    prelude = "import django, os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mediateka.settings')\n"
    done = subprocess.run(
        [sys.executable, "-c", prelude + "django.setup()\n" + code], env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return done.stdout.strip().splitlines()[-1]


def _addresses(env: dict, port: int) -> dict[str, list[str]]:
    listing = _get(port, "/en/films/", PLAIN)[1].decode()
    slugs = sorted(set(re.findall(r'href="/en/films/([\w-]+)/"', listing)))
    found = "from mediateka.catalogue.models import Collection\n"
    found += "print(' '.join(Collection.objects.filter(status='published').values_list('slug', flat=True)))"
    collections = _python(env, found).split()
    kinds = ("", "?kind=documentary", "?kind=psa", "?kind=feature")
    return {
        "home": [f"/{lang}/" for lang in LANGUAGES],
        "film list": [f"/{lang}/films/{kind}" for lang in LANGUAGES for kind in kinds],
        "film page": [f"/{lang}/films/{slug}/" for lang in LANGUAGES for slug in slugs],
        "collection": [f"/{lang}/collections/{slug}/" for lang in LANGUAGES for slug in collections],
        "mission": [f"/{lang}/mission/" for lang in LANGUAGES],
        "reach": [f"/{lang}/reach/{by}" for lang in LANGUAGES for by in ("", "?by=theme", "?by=month")],
    }


def _serve(env: dict, tmp: Path, name: str, *, cache: bool):
    port = free_port()
    log = tmp / f"server-{name}.log"
    server = _start(
        [sys.executable, "-m", "mediateka", "run", "--port", str(port)],
        log,
        env={**env, "MEDIATEKA_PAGE_CACHE": "true" if cache else "false"},
    )
    wait_until_answering(f"http://127.0.0.1:{port}/healthz", server, log)
    return server, port


def _measure(servers: dict[str, tuple], addresses: dict[str, list[str]]) -> dict[str, dict]:
    """Each page on each server in turn, in ROUNDS short runs, so that both figures of a page see the
    same load from the rest of the machine; with the CPU time the server's processes used per request,
    which that load sways far less than requests/s."""
    results = {kind: {} for kind in servers}
    for name, paths in addresses.items():
        rounds = {kind: [] for kind in servers}
        for kind, (_server, port) in servers.items():
            _warm(port, paths * 4, _headers(kind))  # every worker process renders each page once first
        for _round in range(ROUNDS):
            for kind, (server, port) in servers.items():
                cpu = _cpu_seconds(server.pid)
                run = _load(port, paths, SECONDS / ROUNDS, _headers(kind), warmup=0.2)
                run["cpu"] = _cpu_seconds(server.pid) - cpu
                rounds[kind].append(run)
        for kind, runs in rounds.items():
            results[kind][name] = {
                "rps": sum(run["n"] for run in runs) / SECONDS,
                "p50": statistics.median(run["p50"] for run in runs),
                "cpu_ms": 1000 * sum(run["cpu"] for run in runs) / sum(run["requests"] for run in runs),
            }
    return results


def _headers(kind: str) -> dict:
    return BROWSER if kind == "cached" else PLAIN


def _weights(port: int, addresses: dict[str, list[str]]) -> dict[str, dict]:
    sizes: dict[tuple[str, bool], int] = {}

    def size(url: str, packed: bool) -> int:
        path = urlsplit(url).path
        if (path, packed) not in sizes:
            status, body = _get(port, path, BROWSER if packed else PLAIN)
            sizes[path, packed] = len(body) if status == 200 else 0
        return sizes[path, packed]

    out = {}
    for name, paths in addresses.items():
        path = next(p for p in paths if p.startswith("/en/"))
        html = _get(port, path, PLAIN)[1]
        packed = _get(port, path, BROWSER)[1]
        assert gzip.decompress(packed) == html, path
        loads = _Loads()
        loads.feed(html.decode())
        out[name] = {
            "path": path,
            "html": (len(html), len(packed)),
            "code": (sum(size(u, False) for u in loads.code), sum(size(u, True) for u in loads.code)),
            "images": sum(size(u, False) for u in loads.images),
            "image_count": len(loads.images),
        }
    return out


def _queries(env: dict, addresses: dict[str, list[str]]) -> dict:
    paths = {name: paths[0] for name, paths in addresses.items()}
    return json.loads(_python(env, f"PATHS = {paths!r}\n" + QUERIES))


def _set_up(env: dict) -> None:
    started = time.monotonic()
    if SAMPLES:
        _mediateka(env, "demo", stdout=subprocess.DEVNULL)
        _mediateka(env, "worker", "--batch", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    else:
        _mediateka(env, "demo", "--no-samples", stdout=subprocess.DEVNULL)
    print(f"set-up (demo{' and encodes' if SAMPLES else ''}): {time.monotonic() - started:.0f} s", flush=True)


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="mediateka-pages-"))
    reused = os.environ.get("BENCH_PAGES_DATA_DIR")
    env = _environment(Path(reused) if reused else tmp / "data")
    servers = {}
    try:
        if not reused:
            _set_up(env)
        for kind in ("rendered", "cached"):
            servers[kind] = _serve(env, tmp, kind, cache=kind == "cached")
        port = servers["cached"][1]
        addresses = _addresses(env, port)
        results = _measure(servers, addresses)
        plain = _measure({"no gzip": servers["cached"]}, {"film page": addresses["film page"]})
        weights = _weights(port, addresses)
        for server, _port in servers.values():
            _stop(server)
        queries = _queries(env, addresses)
    finally:
        for server, _port in servers.values():
            _stop(server)
        shutil.rmtree(tmp, ignore_errors=True)  # a reused data dir is elsewhere, and kept
    report(addresses, results["rendered"], results["cached"], plain["no gzip"], weights, queries)


def report(addresses, baseline, cached, cached_plain, weights, queries) -> None:
    load = os.getloadavg()[0]
    print(f"concurrency 4, {SECONDS:.0f} s per page after a warm-up; load average at the end {load:.1f}")
    print(f"  on {os.cpu_count()} CPUs (other work on the machine slows every line)")
    print(f"  {'page':11} {'addresses':>9} {'rendered':>12} {'cached+gzip':>12} {'ratio':>7}  queries")
    print(f"  {'':11} {'':9} {'server CPU per request':>26} {'ratio':>7}")
    print(f"  {'':11} {'':9} (and in one process through Django's test client, best of three)")
    for name in addresses:
        before, after = baseline[name], cached[name]
        ratio = after["rps"] / before["rps"]
        verdict = ("met" if ratio >= TARGET else "MISSED") if name in TARGET_PAGES else "no target"
        rendered, hit, django_rendered, django_hit = queries[name]
        print(
            f"  {name:11} {len(addresses[name]):9} {before['rps']:8.1f} r/s {after['rps']:8.1f} r/s"
            f" {ratio:6.1f}x  {rendered} rendered, {hit} cached   (>= {TARGET:.0f}x: {verdict})"
        )
        print(f"  {'':11} {'':9} p50 {before['p50']:6.1f} ms  p50 {after['p50']:6.2f} ms")
        cpu = (
            f"{before['cpu_ms']:6.2f} ms {after['cpu_ms']:9.2f} ms {before['cpu_ms'] / after['cpu_ms']:6.1f}x"
        )
        print(f"  {'':11} {'':9} CPU {cpu}   in Django alone: {django_rendered:.2f} ms, {django_hit:.2f} ms")
    plain = cached_plain["film page"]
    print(f"  film page from the cache without gzip: {plain['rps']:.1f} r/s, p50 {plain['p50']:.2f} ms")
    print("page weights (bytes; raw / gzip as sent):")
    print(f"  {'page':11} {'HTML':>15} {'+ CSS and JS':>17} {'+ images':>20}")
    for name, w in weights.items():
        (html, html_gz), (code, code_gz) = w["html"], w["code"]
        images = f"{html + code + w['images']:>7} / {html_gz + code_gz + w['images']:>7} ({w['image_count']})"
        both = f"{html + code:>7} / {html_gz + code_gz:>6}"
        print(f"  {name:11} {html:>7} / {html_gz:>5} {both} {images}   {w['path']}")


if __name__ == "__main__":
    main()
