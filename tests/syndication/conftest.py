"""The outward formats describe the same films the API does: its fixtures serve here too."""

from tests.api.conftest import (  # noqa: F401 - fixtures
    _quick_passwords,
    make_film,
    mission_records,
    rich_film,
)
