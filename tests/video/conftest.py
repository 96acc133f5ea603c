"""Clips shared by the video tests; each is made once per session, since FFmpeg is the slow part."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.video.clips import make_clip


@pytest.fixture(scope="session")
def clip(tmp_path_factory) -> Callable[..., Path]:
    """`clip("name.ext", **make_clip options)`: the same name gives the same file within a session."""
    folder = tmp_path_factory.mktemp("clips")
    made: dict[str, Path] = {}

    def get(name: str, **options) -> Path:
        if name not in made:
            made[name] = make_clip(folder / name, **options)
        return made[name]

    return get
