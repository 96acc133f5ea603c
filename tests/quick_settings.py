"""Mediateka's settings with the quick ladder, for the processes the tests start (tests.live)."""

from mediateka.settings import *  # noqa: F403

MEDIATEKA_LADDER = "quick"
