"""A real worker process killed with SIGKILL in the middle of an encode, then restarted."""

import json
import os
import signal
import subprocess
import sys
import time

from tests.live import django_script, mediateka, process_env

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
    # Its own session, so that killing the group also kills its ffmpeg: a machine that lost power.
    return subprocess.Popen(
        [sys.executable, "-m", "mediateka", "worker", "--interval", "0.2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def test_worker_killed_mid_encode_leaves_the_film_playing_and_the_job_finishes_after_restart(tmp_path, clip):
    env = process_env(tmp_path / "data")
    assert mediateka(env, "demo", "--no-samples").returncode == 0
    source = clip("crash.mp4", seconds=24, width=640, height=360)
    django_script(
        env,
        f"""
import hashlib
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from mediateka.catalogue.models import Film
from mediateka.video.models import Video
from mediateka.video import pipeline
data = open({str(source)!r}, "rb")
stored = default_storage.save("originals/crash/source.mp4", File(data))
film = Film.objects.get(slug="were-going-to-moscow")
video = Video.objects.create(film=film, language="tg", original=stored, original_name="crash.mp4",
    sha256=hashlib.sha256(open({str(source)!r}, "rb").read()).hexdigest())
assert pipeline.process(video.pk) == "encoded"
""",
    )
    before = _state(env)
    assert before["current_complete"] and before["status"] == "ready"
    django_script(
        env,
        """
from mediateka.video.models import Video
from mediateka.video.tasks import enqueue_processing
from django.db import transaction
with transaction.atomic():
    enqueue_processing(Video.objects.get(), force=True)
""",
    )
    worker = _start_worker(env)
    try:
        deadline = time.monotonic() + 120
        while True:
            state = _state(env)
            if state["status"] == "encoding" and state["progress"] >= 5:
                break
            assert time.monotonic() < deadline, f"the encode never got going: {state}"
            time.sleep(0.2)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    crashed = _state(env)
    assert crashed["current"] == before["current"]  # the old encoding still plays, whole
    assert crashed["current_complete"]
    assert "building" in crashed["encodings"]  # the half-made one is there, unpublished

    restarted = mediateka(env, "worker", "--batch", "--interval", "0.2", timeout=300)
    assert restarted.returncode == 0, restarted.stderr[-2000:]
    after = _state(env)
    assert after["status"] == "ready", after
    assert after["current"] != before["current"]
    assert after["current_complete"]
    assert "building" not in after["encodings"]
