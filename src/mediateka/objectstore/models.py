"""What the public may fetch directly: the media prefixes exposure has made public."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExposedPrefix(models.Model):
    """A prefix (`encodings/<key>`, `captions/<key>`) whose files are public-read, or linked on disk.

    Files are written private, so a prefix without a row is private. The rows let a change to a film
    touch the storage only when its media must become public or private, and still find the files of
    a deleted film, version, encoding or caption track to hide them once their rows are gone.
    """

    prefix = models.CharField(max_length=250, primary_key=True)
    # Not a foreign key: the row outlives its film until the files are hidden.
    film_id = models.BigIntegerField(db_index=True)

    class Meta:
        verbose_name = _("exposed media prefix")
        verbose_name_plural = _("exposed media prefixes")

    def __str__(self) -> str:
        return self.prefix
