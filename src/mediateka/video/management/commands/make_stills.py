from django.core.management.base import BaseCommand

from mediateka.video.poster_stills import make_stills, without_stills


class Command(BaseCommand):
    help = (
        "Make the small copies of the poster (for film cards and phones) for encodings made before "
        "the encoder made them. Safe to run again: encodings that have them are left alone."
    )

    def handle(self, *args, **options):
        done = failed = 0
        for encoding in without_stills():
            try:
                sizes = make_stills(encoding)
            except Exception as error:  # one broken poster must not stop the rest
                failed += 1
                self.stderr.write(f"Encoding {encoding.pk} ({encoding}): no stills made: {error}")
                continue
            done += 1
            made = ", ".join(f"{w}x{h}" for w, h in sizes)
            self.stdout.write(f"Encoding {encoding.pk} ({encoding}): {made}")
        self.stdout.write(f"Stills made for {done} encoding(s); {failed} failed.")
