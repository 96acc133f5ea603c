"""One film encoded for real, once per test run, and copied into every test that needs a film that plays.

Encoding is the slow part of the suite. The page, player, API and browser tests need a version that
plays, not an encode of their own: `playable_copy` stores the clip as the version's original and the
encoded tree as a new encoding, then publishes it with the pipeline's own pointer flip, so the rows
and files are the ones an encode leaves.

The clip, as long as the demo's sample clips, gives the 144p, 240p and audio rungs, in segments of
2, 4, 4 and 2 s (the audio rung's of 2 s): enough for the player to switch rungs and to seek past the
first segment.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path

from mediateka.video import pipeline
from mediateka.video.ladder import plan_rungs
from mediateka.video.ladder_run import LadderResult, run_ladder
from mediateka.video.models import Encoding, Video
from mediateka.video.probe import ProbeResult, probe
from mediateka.video.storage import store_tree
from tests.video.clips import make_clip
from tests.video.factories import video_with_original

CLIP = {"seconds": 12, "width": 320, "height": 240}
_SAVED = "encoded.pickle"


@dataclass(frozen=True)
class EncodedFilm:
    source: Path  # the clip, an MP4 as an editor would upload it
    probed: ProbeResult
    result: LadderResult  # the full ladder, poster, thumbnail and download, under `folder`/encoded


def encode_once(folder: Path) -> EncodedFilm:
    """Encodes the clip into `folder` with the full ladder, or reads back what an earlier call made there.

    Another process of the same test run (a live server's) finds the film by the same folder.
    """
    saved = folder / _SAVED
    if saved.is_file():
        return pickle.loads(saved.read_bytes())  # noqa: S301 - written by this test run, just below
    source = make_clip(folder / "film.mp4", **CLIP)
    found = probe(source)
    # Explicit rungs and preset: the full ladder, whatever MEDIATEKA_LADDER the caller runs with.
    result = run_ladder(source, folder / "encoded", found, rungs=plan_rungs(found), preset="medium")
    film = EncodedFilm(source=source, probed=found, result=result)
    saved.write_bytes(pickle.dumps(film))
    return film


def playable_copy(encoded: EncodedFilm, film, language: str = "tg") -> Video:
    """A version of `film` in `language` that plays the encoded film, published as the pipeline does."""
    video = video_with_original(film, encoded.source, language)
    encoding = Encoding.objects.create(video=video, source_sha256=video.sha256)
    store_tree(encoded.result.master_playlist.parent, encoding.storage_dir)
    pipeline._publish(video, encoding, encoded.result, encoded.probed)
    return Video.objects.select_related("current_encoding").get(pk=video.pk)
