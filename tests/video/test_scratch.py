"""Encode scratch folders carry their worker's identity, so that those of dead workers can be swept."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mediateka.video import scratch


def _dead_pid() -> int:
    done = subprocess.Popen([sys.executable, "-c", "pass"])
    done.wait()
    return done.pid


def test_a_scratch_folder_is_named_for_its_process_and_removed_even_after_an_error(settings):
    with pytest.raises(RuntimeError), scratch.folder() as folder:
        assert folder.parent == Path(settings.MEDIATEKA_WORK_DIR)
        assert folder.name.startswith(f"encode-{scratch.owner()}-")
        (folder / "partial.m4s").write_bytes(b"\0" * 1024)
        raise RuntimeError("the encode failed")
    assert not folder.exists()


def test_the_sweep_removes_the_folders_of_dead_processes_of_this_host_only(settings):
    work = Path(settings.MEDIATEKA_WORK_DIR)
    here = f"{scratch._host()}-{scratch._pid_namespace()}"
    dead = work / f"encode-{here}-{_dead_pid()}-k3x_9q"
    living = work / f"encode-{here}-{os.getpid()}-a1b2c3"
    elsewhere = work / f"encode-other.host-{scratch._pid_namespace()}-{_dead_pid()}-zz"
    other_container = work / f"encode-{scratch._host()}-1-{_dead_pid()}-zz"
    unrelated = work / "encode-notes"
    for folder in (dead, living, elsewhere, other_container, unrelated):
        (folder / "144p").mkdir(parents=True)
        (folder / "144p" / "seg_00001.m4s").write_bytes(b"\0" * 1024)

    assert scratch.sweep_dead() == 1

    assert not dead.exists()
    assert living.exists() and elsewhere.exists() and other_container.exists() and unrelated.exists()


def test_a_killed_process_not_yet_reaped_counts_as_dead():
    child = subprocess.Popen(["sleep", "30"])
    assert scratch.alive(child.pid)
    child.kill()
    deadline = time.monotonic() + 5
    while scratch.alive(child.pid) and time.monotonic() < deadline:  # a zombie until reaped below
        time.sleep(0.05)
    assert not scratch.alive(child.pid)
    child.wait()
