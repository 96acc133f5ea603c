"""The production server with one demo film encoded for real, and Chromium throttled to a slow link:
what the browser benchmarks (first_frame, offline_save) measure against."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.live import free_port, wait_until_answering

ROOT = Path(__file__).resolve().parents[1]
FILM = "were-going-to-moscow"

PUBLISH = """
import os; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediateka.settings")
import django; django.setup()
from pathlib import Path
from mediateka.catalogue.models import Film
from mediateka.video.ladder import plan_rungs
from mediateka.video.ladder_run import run_ladder
from mediateka.video.probe import probe
from tests.media import EncodedFilm, playable_copy
from tests.video.clips import make_clip
folder = Path({folder!r})
folder.mkdir()
source = make_clip(folder / "film.mp4", seconds={seconds}, width={width}, height={height})
found = probe(source)
result = run_ladder(source, folder / "encoded", found, rungs=plan_rungs(found), preset="medium")
film = Film.objects.get(slug={film!r})
film.videos.all().delete()
playable_copy(EncodedFilm(source=source, probed=found, result=result), film, "tg")
print(", ".join(rung.rung.name for rung in result.rungs))
"""


def chromium(bench: str) -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise SystemExit(f"bench.{bench} needs Chromium (apt-get install chromium).")
    return found


def serve(data_dir: Path, *, seconds: int, width: int, height: int) -> tuple[subprocess.Popen, str]:
    """The demo catalogue in `data_dir`, its film FILM playing a clip of that size encoded with the
    full ladder, served by `mediateka run`; (the server, its address)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG")}
    env.update(MEDIATEKA_DATA_DIR=str(data_dir), LOG_LEVEL="WARNING", MEDIATEKA_ACCESS_LOG="false")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    subprocess.run([sys.executable, "-m", "mediateka", "demo", "--no-samples"], env=env, check=True)
    code = PUBLISH.format(
        folder=str(data_dir / "clip"), film=FILM, seconds=seconds, width=width, height=height
    )
    made = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if made.returncode:
        raise RuntimeError(made.stderr[-3000:])
    print(f"film: {seconds} s, {width}x{height}, rungs {made.stdout.strip()}")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mediateka", "run", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_answering(url + "/en/", server)
    return server, url


def throttle(context, page, *, kbits: float, latency_ms: float) -> None:
    """The page's link made `kbits` each way with `latency_ms`, by the DevTools protocol."""
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    rate = kbits * 1000 / 8
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": latency_ms, "downloadThroughput": rate, "uploadThroughput": rate},
    )
