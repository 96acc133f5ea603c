import time

from django.core.management.base import BaseCommand

from mediateka.search.index import reindex_all


class Command(BaseCommand):
    help = "Rebuild the search index of all listed films (run after an import or a restore)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="films read and written at a time")

    def handle(self, *args, **options):
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"indexed {done}/{total} films", ending="\r" if done < total else "\n")
            self.stdout.flush()

        count = reindex_all(batch_size=max(1, options["batch_size"]), progress=progress)
        seconds = time.perf_counter() - started
        rate = count / seconds if seconds else 0.0
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {count} films in {seconds:.1f} s ({rate:.0f} films/s).")
        )
