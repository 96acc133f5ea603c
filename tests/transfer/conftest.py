"""Imports and exports move the films the API writes: its fixtures serve here too."""

from tests.api.conftest import (  # noqa: F401 - fixtures
    _quick_passwords,
    make_film,
    mission_records,
    rich_film,
)
