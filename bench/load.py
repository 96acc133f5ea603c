"""Load: 200 simulated viewers for 60 s against the production server, on 127.0.0.1 only.

Set-up, in a temporary data dir: `mediateka demo` (films and sample clips), `mediateka worker
--batch` (encodes them), then the production server: `mediateka run` (gunicorn) with nginx in
front, configured by `mediateka manage nginx_config` as docs/deploy.md says (nginx serves public
films' media itself, through the links objectstore.disk keeps, and any other media file after
Django has allowed it, via X-Accel-Redirect) when nginx is installed, else gunicorn alone, where
Django checks and streams every segment itself (LOAD_FRONT=auto|nginx|gunicorn chooses).

Each viewer behaves like a phone with hls.js: it opens a page (home, the film list or a film),
then plays a film: the master playlist, one rung's playlist (any rung), the init segment and the
media segments one after another as fast as they come (hls.js buffers ahead up to 30 s, more than
a sample clip holds), then watches for about the clip's length before browsing on. Viewers start
spread over the first 5 s. Before them, unmeasured, every page and playlist is fetched 32 times
and 20 viewers play for 5 s: a production server is not cold (a page type's first render in each
web process compiles templates and loads translations).

Target: zero errors, p99 of segment requests <= 100 ms. Baseline in the same run: the same
viewers fetch the same segments as static files from nginx (or `python -m http.server` without
nginx) serving the media folder (no database, no access check) for BASELINE_SECONDS; the report
gives the ratio.

Environment: LOAD_VIEWERS (200), LOAD_SECONDS (60), BASELINE_SECONDS (20); MEDIATEKA_WEB_WORKERS
and MEDIATEKA_WEB_THREADS tune the server as in production; LOAD_DATA_DIR reuses a data dir
where the demo is already loaded and encoded (it is kept), to try settings quickly; LOAD_NICE
(e.g. -10, as root) runs the server and the viewers ahead of other processes on a shared machine.
"""

import asyncio
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from tests.live import free_port, wait_until_answering

VIEWERS = int(os.environ.get("LOAD_VIEWERS", "200"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
BASELINE_SECONDS = float(os.environ.get("BASELINE_SECONDS", "20"))
# A negative niceness (as root) gives the server and the viewers the machine's cores ahead of other
# processes, as on a dedicated server; the report says which was used.
NICE = int(os.environ.get("LOAD_NICE", "0"))
WARMUP_SECONDS = 5.0  # a few viewers first, unmeasured: a production server is not cold
RAMP_SECONDS = 5.0
TIMEOUT = 10.0  # a request slower than this counts as an error
SETUP_TIMEOUT = 900


def _environment(data_dir: Path) -> dict[str, str]:
    drop = ("DATABASE_URL", "SECRET_KEY", "DEBUG", "PROMETHEUS_MULTIPROC_DIR")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["MEDIATEKA_DATA_DIR"] = str(data_dir)
    env.setdefault("LOG_LEVEL", "WARNING")
    return env


def _mediateka(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "mediateka", *args], env=env, check=True, timeout=SETUP_TIMEOUT, **kwargs
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _cpu_seconds(root: int) -> float:
    """CPU time used so far by a process and its children (gunicorn's master and workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if root in (pid, ppid):
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return total


def _server_side_ms(log: Path, since: int) -> list[float]:
    """How long gunicorn itself took for each segment request (its access log's %(D)s)."""
    times = []
    for line in log.read_text(errors="replace").splitlines()[since:]:
        match = re.search(r'"GET /media/\S+\.m4s HTTP/[\d.]+" \d+ \d+ (\d+)us', line)
        if match:
            times.append(int(match.group(1)) / 1e6)
    return times


# --- what there is to watch -----------------------------------------------------------------------


@dataclass
class Film:
    page: str
    master: str
    rungs: dict[str, list[str]] = field(default_factory=dict)  # playlist URL -> init + segments


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own loopback server
        return response.read().decode()


def _media_lines(playlist: str) -> list[str]:
    lines = [line.strip() for line in playlist.splitlines()]
    found = [m.group(1) for line in lines if (m := re.search(r'#EXT-X-MAP:URI="([^"]+)"', line))]
    return found + [line for line in lines if line and not line.startswith("#")]


def discover(base: str) -> tuple[list[str], list[Film]]:
    pages = [f"{base}/en/", f"{base}/ru/", f"{base}/tg/", f"{base}/en/films/", f"{base}/en/mission/"]
    listing = _get(f"{base}/en/films/")
    films = []
    for slug in sorted(set(re.findall(r'href="/en/films/([\w-]+)/"', listing))):
        page = f"{base}/en/films/{slug}/"
        html = _get(page)
        masters = re.findall(r'(/media/[^"\'\s]+?\.m3u8)', html)
        master = next((m for m in masters if "master" in m), masters[0] if masters else None)
        if master is None:
            continue
        film = Film(page=page, master=base + master)
        for variant in _media_lines(_get(film.master)):
            playlist = urljoin(film.master, variant)
            film.rungs[playlist] = [urljoin(playlist, name) for name in _media_lines(_get(playlist))]
        films.append(film)
    if not films:
        raise RuntimeError("no playable film found: did the worker encode the demo's samples?")
    return pages + [film.page for film in films], films


# --- viewers --------------------------------------------------------------------------------------


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: list[str] = field(default_factory=list)
    requests: int = 0
    timeline: list[tuple[float, float]] = field(default_factory=list)  # (started, seconds), segments


async def _fetch(session, url: str, kind: str, tally: Tally) -> bytes | None:
    started = time.perf_counter()
    try:
        async with session.get(url) as response:
            body = await response.read()
            if response.status >= 400:
                raise RuntimeError(f"HTTP {response.status}")
    except Exception as error:  # every failure, of any kind, is what the count is for
        tally.errors[kind] += 1
        if len(tally.examples) < 5:
            tally.examples.append(f"{kind} {url}: {error!r}")
        return None
    finally:
        tally.requests += 1
    tally.latencies[kind].append(time.perf_counter() - started)
    if kind == "segment":
        tally.timeline.append((started, time.perf_counter() - started))
    return body


async def viewer(n: int, base_pages, films, deadline: float, tally: Tally, *, segments_only=None):
    import aiohttp

    rng = random.Random(n)
    await asyncio.sleep(rng.uniform(0, RAMP_SECONDS))
    connector = aiohttp.TCPConnector(limit=2, force_close=False)
    timeout = aiohttp.ClientTimeout(total=TIMEOUT)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        while time.monotonic() < deadline:
            film = rng.choice(films)
            rung = rng.choice(list(film.rungs))  # any quality, as phones on any link would
            if segments_only is None:
                await _fetch(session, rng.choice([*base_pages, film.page]), "page", tally)
                await _fetch(session, film.master, "playlist", tally)
                await _fetch(session, rung, "playlist", tally)
                urls = film.rungs[rung]
            else:
                urls = [segments_only(url) for url in film.rungs[rung]]
            for url in urls:  # hls.js fills its buffer: one segment after another
                if time.monotonic() >= deadline:
                    return
                await _fetch(session, url, "segment", tally)
            watch = len(urls) * 4.0 * rng.uniform(0.5, 1.0)  # 4 s segments, sometimes skipped ahead
            await asyncio.sleep(min(watch, max(0.0, deadline - time.monotonic())))


async def warm(pages, films) -> None:
    """Every page and playlist, 16 at a time, twice: so that every web process has rendered each
    page type once (compiled its templates, loaded its translations), as a running server has."""
    import aiohttp

    urls = list(pages) + [film.master for film in films]
    urls += [rung for film in films for rung in film.rungs]
    urls += [segs[-1] for film in films for segs in film.rungs.values()]
    async with aiohttp.ClientSession() as session:
        for _round in range(2):
            for url in urls:
                await asyncio.gather(*(_fetch(session, url, "warm-up", Tally()) for _ in range(16)))


async def crowd(pages, films, seconds: float, segments_only=None, viewers=VIEWERS) -> tuple[Tally, float]:
    tally = Tally()
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(
        *(viewer(n, pages, films, deadline, tally, segments_only=segments_only) for n in range(viewers))
    )
    return tally, time.monotonic() - started


# --- report ---------------------------------------------------------------------------------------


def _ms(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


def summarise(tally: Tally, elapsed: float) -> dict:
    figures = {"requests": tally.requests, "requests_per_s": round(tally.requests / elapsed, 1)}
    figures["errors"] = sum(tally.errors.values())
    figures["examples"] = tally.examples
    # Seconds in which the median segment took over 100 ms: the whole server stalled (on a shared
    # machine, usually because other processes took the cores), rather than a few slow requests.
    by_second = defaultdict(list)
    for started, seconds in tally.timeline:
        by_second[int(started)].append(seconds)
    figures["stalled_seconds"] = sum(statistics.median(v) > 0.1 for v in by_second.values())
    figures["seconds"] = len(by_second)
    for kind, values in sorted(tally.latencies.items()):
        figures[kind] = {
            "n": len(values),
            "p50_ms": round(_ms(values, 50), 1),
            "p95_ms": round(_ms(values, 95), 1),
            "p99_ms": round(_ms(values, 99), 1),
            "errors": tally.errors.get(kind, 0),
        }
    return figures


def _quantiles(f: dict) -> str:
    return f"p50 {f['p50_ms']:7.1f} ms  p95 {f['p95_ms']:7.1f} ms  p99 {f['p99_ms']:7.1f} ms"


# The baseline's server: the media folder as plain static files, beside the site in the same nginx.
BASELINE_SERVER = """
    server {{
        listen 127.0.0.1:{port};
        location /media/ {{ alias {media}/; }}
    }}
"""


def _nginx_conf(env: dict, tmp: Path, *, port: int, upstream: int, static: int, data_dir: Path) -> str:
    """The site exactly as `mediateka manage nginx_config` writes it for a host, plus the baseline."""
    site = subprocess.run(
        [
            sys.executable,
            "-m",
            "mediateka",
            "manage",
            "nginx_config",
            "localhost",
            "--standalone",
            str(tmp),
            "--listen",
            f"127.0.0.1:{port}",
            "--upstream",
            f"127.0.0.1:{upstream}",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    closing = site.rstrip().rindex("}")  # the http block's end
    return site[:closing] + BASELINE_SERVER.format(port=static, media=data_dir / "media") + "}\n"


def _front() -> str | None:
    """The nginx binary when the run puts nginx in front (LOAD_FRONT=auto|nginx|gunicorn)."""
    choice = os.environ.get("LOAD_FRONT", "auto")
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if choice == "nginx" and not found:
        raise RuntimeError("LOAD_FRONT=nginx, but nginx is not installed")
    return found if choice in ("auto", "nginx") else None


def _start(argv, log: Path, **kwargs) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, **kwargs)


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="mediateka-load-"))
    reused = os.environ.get("LOAD_DATA_DIR")
    data_dir = Path(reused) if reused else tmp / "data"
    env = _environment(data_dir)
    nginx = _front()
    processes = []
    try:
        if not reused:
            started = time.monotonic()
            _mediateka(env, "demo", stdout=subprocess.DEVNULL)
            _mediateka(env, "worker", "--batch", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            print(f"set-up (demo and encodes): {time.monotonic() - started:.0f} s", flush=True)

        if NICE:
            os.nice(NICE)  # inherited by the servers started next
        # A reused data dir may predate the public links: make them as a deployed host has them.
        _mediateka(env, "manage", "sync_media_acl", stdout=subprocess.DEVNULL)
        if nginx:  # as docs/deploy.md: nginx serves public films' media, Django the rest
            env["MEDIATEKA_ACCEL_REDIRECT"] = "/protected-media/"
        port = free_port()
        log = tmp / "server.log"
        server = _start([sys.executable, "-m", "mediateka", "run", "--port", str(port)], log, env=env)
        processes.append(server)
        wait_until_answering(f"http://127.0.0.1:{port}/healthz", server, log)
        roots = [server.pid]
        if nginx:
            front_port, static_port = free_port(), free_port()
            conf = tmp / "nginx.conf"
            conf.write_text(
                _nginx_conf(env, tmp, port=front_port, upstream=port, static=static_port, data_dir=data_dir)
            )
            front = _start([nginx, "-c", str(conf), "-p", str(tmp)], tmp / "nginx.log")
            processes.append(front)
            roots.append(front.pid)
            base = f"http://127.0.0.1:{front_port}"
            wait_until_answering(base + "/healthz", front, tmp / "nginx.log")
            stack, static_name = "nginx (public films' media) + gunicorn", "nginx"
        else:
            base = f"http://127.0.0.1:{port}"
            static_port = free_port()
            static = _start(
                [sys.executable, "-m", "http.server", str(static_port), "--bind", "127.0.0.1"],
                tmp / "static.log",
                cwd=data_dir / "media",
            )
            processes.append(static)
            wait_until_answering(f"http://127.0.0.1:{static_port}/", static, tmp / "static.log")
            stack, static_name = "gunicorn alone (Django streams the bytes)", "python -m http.server"
        static_base = f"http://127.0.0.1:{static_port}" + ("/media" if nginx else "")
        pages, films = discover(base)
        segments = sum(len(urls) for film in films for urls in film.rungs.values())
        print(f"{len(films)} films, {segments} segment files; {stack}", flush=True)
        print(f"{VIEWERS} viewers for {SECONDS:.0f} s", flush=True)

        asyncio.run(warm(pages, films))
        asyncio.run(crowd(pages, films, WARMUP_SECONDS, viewers=20))
        cpu_before = sum(_cpu_seconds(pid) for pid in roots)
        load_before = os.getloadavg()[0]
        log_lines = len(log.read_text(errors="replace").splitlines())
        client_before = time.process_time()
        tally, elapsed = asyncio.run(crowd(pages, films, SECONDS))
        mediateka = summarise(tally, elapsed)
        server_cpu = sum(_cpu_seconds(pid) for pid in roots) - cpu_before
        mediateka["stack"] = stack
        mediateka["client_cores_busy"] = round((time.process_time() - client_before) / elapsed, 2)
        mediateka["server_cpu_ms_per_request"] = round(server_cpu * 1000 / max(1, tally.requests), 2)
        mediateka["server_cores_busy"] = round(server_cpu / elapsed, 2)
        mediateka["load_average"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]
        mediateka["nice"] = NICE
        inside = _server_side_ms(log, log_lines)
        mediateka["segment_inside_gunicorn"] = (
            {"n": len(inside), "p50_ms": round(_ms(inside, 50), 1), "p99_ms": round(_ms(inside, 99), 1)}
            if inside
            else {"n": 0}  # nginx served every segment itself
        )

        def as_static(url: str) -> str:
            return static_base + urlsplit(url).path.removeprefix("/media")

        asyncio.run(crowd(pages, films, WARMUP_SECONDS, segments_only=as_static, viewers=20))
        tally, elapsed = asyncio.run(crowd(pages, films, BASELINE_SECONDS, segments_only=as_static))
        baseline = summarise(tally, elapsed)
        baseline["server"] = static_name
    finally:
        for process in reversed(processes):
            _stop(process)
        shutil.rmtree(tmp, ignore_errors=True)
    report(mediateka, baseline)


def report(mediateka: dict, baseline: dict) -> None:
    m, seg, base_seg = mediateka, mediateka["segment"], baseline["segment"]
    print(f"\n{m['stack']}, {SECONDS:.0f} s, {VIEWERS} viewers:")
    print(f"  {m['requests']} requests, {m['requests_per_s']} requests/s, errors {m['errors']}")
    print(
        f"  server CPU {m['server_cpu_ms_per_request']} ms per request, {m['server_cores_busy']} cores busy;"
        f" the viewers {m['client_cores_busy']} cores; load average {m['load_average'][0]} ->"
        f" {m['load_average'][1]} (over 2: others ran too); niceness {NICE}"
    )
    for kind in ("segment", "playlist", "page"):
        if kind in m:
            print(f"  {kind:8} n={m[kind]['n']:6}  {_quantiles(m[kind])}")
    print(f"  seconds in which the median segment took over 100 ms: {m['stalled_seconds']} of {m['seconds']}")
    inside = m["segment_inside_gunicorn"]
    if inside["n"]:
        print(
            f"  segments inside gunicorn (access log): p50 {inside['p50_ms']} ms, p99 {inside['p99_ms']} ms"
        )
    else:
        print("  segments inside gunicorn (access log): none, nginx served them all")
    print(f"baseline: the same segments as static files from {baseline['server']}, {BASELINE_SECONDS:.0f} s:")
    print(f"  segment  n={base_seg['n']:6}  {_quantiles(base_seg)}  errors {baseline['errors']}")
    print(
        f"ratio mediateka/static: p50 {seg['p50_ms'] / base_seg['p50_ms']:.2f}x, "
        f"p99 {seg['p99_ms'] / base_seg['p99_ms']:.2f}x"
    )
    verdict = "PASS" if m["errors"] == 0 and seg["p99_ms"] <= 100 else "FAIL"
    print(f"target (0 errors, segment p99 <= 100 ms): {verdict}")
    for example in m["examples"] + baseline["examples"]:
        print("  error:", example)
    print(json.dumps({"mediateka": m, "baseline": baseline}))
