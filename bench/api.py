"""The JSON API under load: a generated catalogue of 2,000 films served by the production server
(`mediateka run`: gunicorn, loopback only), four clients at once, for a fixed time per endpoint.

Figures: requests/s, p50 and p95 for the film list (50 per page), a film detail and a search call,
against MediaCMS on the same machine class with 2,000 items (the issue's figures: list p50 27 ms at
46 requests/s, detail p50 45 ms); target at least 5x. The baseline of the same run is a static file
served by the same server (WhiteNoise, before the rest of Django), which says what the machine and
the load generator can do at all.
"""

import http.client
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from tests.live import free_port

FILMS = int(os.environ.get("BENCH_API_FILMS", 2000))
CONCURRENCY = 4
SECONDS = float(os.environ.get("BENCH_API_SECONDS", 8))
WARMUP = 1.5
HEADERS = {"Accept-Language": "ru,en;q=0.8"}
MEDIACMS = {"list_p50_ms": 27.0, "list_rps": 46.0, "detail_p50_ms": 45.0}
TARGET = 5.0

GENERATE = r"""
import random
from datetime import timedelta
from django.utils import timezone
from mediateka.catalogue.models import Film, Theme, Collection, Status
from mediateka.video.models import Video, Encoding, Rung, CaptionTrack
from mediateka.search.index import reindex_all

random.seed(5)
WORDS = ("migrant labour moscow health family safe work document rights border remittance village "
         "школа работа семья здоровье мигрант муҳоҷир кор оила саломатӣ").split()
themes = list(Theme.objects.all()) or [Theme.objects.create(key="health", name_en="Health")]
now = timezone.now()
films = Film.objects.bulk_create(
    Film(
        slug=f"bench-{n:05}",
        title_en=" ".join(random.choices(WORDS, k=4)).title(),
        title_ru=" ".join(random.choices(WORDS, k=4)).title() if n % 3 else "",
        title_tg=" ".join(random.choices(WORDS, k=4)).title() if n % 2 else "",
        synopsis_en=" ".join(random.choices(WORDS, k=60)),
        synopsis_ru=" ".join(random.choices(WORDS, k=60)),
        kind=random.choice(["documentary", "psa", "feature", "animation"]),
        year=random.randint(2005, 2014),
        status=Status.PUBLISHED,
        published_at=now - timedelta(minutes=n),
    )
    for n in range(FILMS)
)
Film.themes.through.objects.bulk_create(
    Film.themes.through(film=f, theme=t) for f in films for t in random.sample(themes, k=min(2, len(themes)))
)
videos = Video.objects.bulk_create(
    Video(film=f, language=lang, status="ready", duration=60 + n % 600, width=640, height=360)
    for n, f in enumerate(films) for lang in (("tg", "ru") if n % 2 else ("tg",))
)
encodings = Encoding.objects.bulk_create(
    Encoding(video=v, state="complete", master_playlist="master.m3u8", poster="poster.jpg",
             thumbnail="thumb.jpg", download="download.mp4", download_bytes=9_000_000)
    for v in videos
)
Rung.objects.bulk_create(
    Rung(encoding=e, name=name, height=h, width=w, measured_bitrate=b, codecs="avc1.42c01e,mp4a.40.2",
         playlist=f"{name}/index.m3u8")
    for e in encodings
    for name, w, h, b in (("144p", 256, 144, 160000), ("240p", 426, 240, 300000), ("360p", 640, 360, 700000),
                          ("480p", 854, 480, 1200000), ("audio", 0, 0, 64000))
)
CaptionTrack.objects.bulk_create(
    CaptionTrack(video=v, language=lang, file=f"captions/b{v.pk}{lang}/{lang}-subtitles.vtt", cue_count=40)
    for v in videos for lang in ("en", "ru")
)
for v, e in zip(videos, encodings):
    v.current_encoding = e
Video.objects.bulk_update(videos, ["current_encoding"])
reindex_all()
print(Film.objects.listed().count())
"""


def _django(env, code: str) -> str:
    prelude = "import django\nimport os\n"
    prelude += "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mediateka.settings')\ndjango.setup()\n"
    done = subprocess.run(
        [sys.executable, "-c", prelude + f"FILMS = {FILMS}\n" + code], env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return done.stdout.strip()


def _warm(port: int, paths: list[str], headers: dict = HEADERS) -> None:
    """One request per address, so that the measured run sees the steady state of a cached server."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for path in paths:
        connection.request("GET", path, headers=headers)
        connection.getresponse().read()
    connection.close()


def _load(
    port: int, paths: list[str], seconds: float, headers: dict = HEADERS, warmup: float = WARMUP
) -> dict:
    """CONCURRENCY clients, each on its own keep-alive connection, cycling through `paths`.
    `requests` counts the warm-up's too."""
    latencies: list[float] = []
    errors = []
    sent = []
    lock = threading.Lock()
    stop = time.perf_counter() + warmup + seconds
    measure_from = time.perf_counter() + warmup

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        count = 0
        for path in itertools.islice(itertools.cycle(paths), offset, None):
            started = time.perf_counter()
            if started > stop:
                break
            count += 1
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append((path, response.status))
            if started >= measure_from:
                mine.append(time.perf_counter() - started)
        connection.close()
        with lock:
            latencies.extend(mine)
            sent.append(count)

    threads = [threading.Thread(target=client, args=(n * 7,)) for n in range(CONCURRENCY)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(f"{len(errors)} failed requests, e.g. {errors[:3]}")
    latencies.sort()
    return {
        "rps": len(latencies) / seconds,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95)] * 1000,
        "n": len(latencies),
        "requests": sum(sent),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as data:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG")}
        env.update(MEDIATEKA_DATA_DIR=data)
        run = [sys.executable, "-m", "mediateka"]
        subprocess.run([*run, "demo", "--no-samples"], env=env, check=True, capture_output=True)
        print(f"generated catalogue: {_django(env, GENERATE)} published films", flush=True)
        port = free_port()
        log = Path(data, "server.log").open("w")  # noqa: SIM115 - closed in the finally below
        server = subprocess.Popen(
            [*run, "run", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/themes", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
            pages = FILMS // 50
            scenarios = {
                "baseline: static file": ["/static/web/css/site.css"],
                "film list (50 per page)": [
                    f"/api/v1/films?page_size=50&page={p}" for p in range(1, pages + 1)
                ],
                "film detail": [f"/api/v1/films/bench-{n:05}" for n in range(0, FILMS, 7)],
                "search": [
                    f"/api/v1/search?q={quote(w)}&page_size=20"
                    for w in ("migrant", "health", "moscow", "семья", "кор", "village")
                ],
                # Every address new, so every request misses the response cache: the work behind it.
                "film list, uncached": [
                    f"/api/v1/films?page_size=50&page={n % pages + 1}&miss={n}" for n in range(100_000)
                ],
                "film detail, uncached": [
                    f"/api/v1/films/bench-{n % FILMS:05}?miss={n}" for n in range(100_000)
                ],
            }
            results = {}
            for name, paths in scenarios.items():
                if "uncached" not in name:
                    _warm(port, paths)
                results[name] = _load(port, paths, SECONDS)
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
    load = os.getloadavg()[0]
    print(f"{FILMS} films, concurrency {CONCURRENCY}, {SECONDS:.0f} s per endpoint after {WARMUP} s warm-up")
    print(
        f"  (load average at the end: {load:.1f} on {os.cpu_count()} CPUs;"
        " other work on the machine slows every line)"
    )
    for name, r in results.items():
        print(
            f"  {name:26} {r['rps']:8.1f} req/s   p50 {r['p50']:7.2f} ms   p95 {r['p95']:7.2f} ms"
            f"   ({r['n']} requests)"
        )
    listing, detail = results["film list (50 per page)"], results["film detail"]
    ratios = {
        "list p50": MEDIACMS["list_p50_ms"] / listing["p50"],
        "list req/s": listing["rps"] / MEDIACMS["list_rps"],
        "detail p50": MEDIACMS["detail_p50_ms"] / detail["p50"],
    }
    for name, ratio in ratios.items():
        print(
            f"  vs MediaCMS {name}: {ratio:.1f}x"
            f" (target >= {TARGET:.0f}x: {'met' if ratio >= TARGET else 'MISSED'})"
        )
    cold = results["film list, uncached"]
    cold_p50, cold_rps = MEDIACMS["list_p50_ms"] / cold["p50"], cold["rps"] / MEDIACMS["list_rps"]
    print(f"  uncached list vs MediaCMS: p50 {cold_p50:.1f}x, req/s {cold_rps:.1f}x")
    base = results["baseline: static file"]
    print(f"  list p50 over the static-file baseline p50: {listing['p50'] / base['p50']:.1f}x")


if __name__ == "__main__":
    main()
