"""`make bench`: every benchmark, each printing its figures and a ratio against a baseline of the same run.

`python -m bench NAME ...` runs only the named ones.
"""

import importlib
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediateka.settings")

BENCHMARKS = [
    "ladder",
    "upload_memory",
    "search",
    "relevance",
    "outreach",
    "load",
    "api",
    "ladder_quality",
    "first_frame",
    "pages",
    "offline_save",
]


def main(names: list[str]) -> None:
    for name in names or BENCHMARKS:
        print(f"\n=== bench.{name} ===", flush=True)
        importlib.import_module(f"bench.{name}").main()


if __name__ == "__main__":
    main(sys.argv[1:])
