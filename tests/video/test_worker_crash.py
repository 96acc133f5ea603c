"""A real worker process killed with SIGKILL in the middle of an encode, then restarted."""

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from mediateka.video import scratch
from tests.live import django_script, mediateka, process_env, with_quick_ladder

STATE = """
import json
from mediateka.video.models import Encoding, Video
from django.core.files.storage import default_storage
v = Video.objects.select_related("current_encoding").get()
e = v.current_encoding
print(json.dumps({
    "status": v.status, "progress": v.progress, "error": v.error,
    "current": e.prefix if e else None,
    "current_complete": bool(e) and e.state == "complete"
        and all(default_storage.exists(e.path(r.playlist)) for r in e.rungs.all())
        and default_storage.exists(e.path(e.master_playlist)),
    "encodings": sorted(x.state for x in Encoding.objects.all()),
}))
"""


def _state(env) -> dict:
    return json.loads(django_script(env, STATE))


def _start_worker(env) -> subprocess.Popen:
    # Its own session, as under a service manager; the kill below reaches the worker process alone.
    return subprocess.Popen(
        [sys.executable, "-m", "mediateka", "worker", "--interval", "0.2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _encoders(folder: Path) -> list[int]:
    """Living processes (not zombies) whose command line names a path under `folder`: FFmpeg's."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rpartition(")")[2].split()[0]
        except (OSError, IndexError):
            continue  # gone meanwhile
        if state != "Z" and os.fsencode(folder) in cmdline:
            found.append(int(entry.name))
    return found


def _kill(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def test_worker_killed_mid_encode_takes_its_ffmpeg_along_and_the_next_worker_sweeps_and_finishes(
    tmp_path, clip, encoded_film
):
    work = tmp_path / "data" / "work"
    env = {**process_env(tmp_path / "data"), "MEDIATEKA_WORK_DIR": str(work)}
    # The worker that is killed encodes with the full ladder, long enough to be caught at it; the
    # set-up and the worker that finishes the job only need the quick one.
    quick = with_quick_ladder(env)
    assert mediateka(env, "demo", "--no-samples").returncode == 0
    source = clip("crash.mp4", seconds=24, width=640, height=360)
    # A version that plays (the test run's encoded film) gets the long clip as its new file, then its
    # forced encode is queued; one process does it all, as starting Python with Django costs seconds.
    before = json.loads(
        django_script(
            quick,
            f"""
import hashlib
from pathlib import Path
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from mediateka.catalogue.models import Film
from mediateka.video.models import Video
from mediateka.video.tasks import enqueue_processing
from tests.media import encode_once, playable_copy
film = Film.objects.get(slug="were-going-to-moscow")
video = playable_copy(encode_once(Path({str(encoded_film.source.parent)!r})), film, "tg")
with open({str(source)!r}, "rb") as data:
    stored = default_storage.save("originals/crash/source.mp4", File(data))
Video.objects.filter(pk=video.pk).update(original=stored, original_name="crash.mp4",
    sha256=hashlib.sha256(Path({str(source)!r}).read_bytes()).hexdigest())
{STATE}
with transaction.atomic():
    enqueue_processing(Video.objects.get(), force=True)
""",
        )
    )
    assert before["current_complete"] and before["status"] == "ready"
    worker = _start_worker(env)
    try:
        deadline = time.monotonic() + 120
        while True:
            state = _state(env)
            if state["status"] == "encoding" and state["progress"] >= 5:
                break
            assert time.monotonic() < deadline, f"the encode never got going: {state}"
            time.sleep(0.2)
        assert _encoders(work), "no FFmpeg was seen at work"
        # The worker alone (its job processes have their own process groups), as the OOM killer would.
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)

        deadline = time.monotonic() + 5
        while _encoders(work) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _encoders(work) == [], "FFmpeg outlived its worker"
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
        _kill(_encoders(work))
    crashed = _state(env)
    assert crashed["current"] == before["current"]  # the old encoding still plays, whole
    assert crashed["current_complete"]
    assert "building" in crashed["encodings"]  # the half-made one is there, unpublished
    # Named for the job process that ran the encode, which died with its worker.
    left_behind = list(work.glob("encode-*"))
    assert left_behind, "the dead worker's scratch folder should be there for the next worker to sweep"
    # The job process got its SIGKILL with the worker; give the kernel a moment to end it.
    pids = [int(folder.name.split("-")[-2]) for folder in left_behind]
    deadline = time.monotonic() + 10
    while any(scratch.alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)

    restarted = mediateka(quick, "worker", "--batch", "--interval", "0.2", timeout=300)
    assert restarted.returncode == 0, restarted.stderr[-2000:]
    assert [folder for folder in left_behind if folder.exists()] == []
    assert list(work.glob("encode-*")) == []  # and the new worker removed its own when done
    after = _state(env)
    assert after["status"] == "ready", after
    assert after["current"] != before["current"]
    assert after["current_complete"]
    assert "building" not in after["encodings"]
