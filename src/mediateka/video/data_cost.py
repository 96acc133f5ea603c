"""What watching a rung costs, in the megabytes a person on prepaid data counts.

Figures are the rung's real files (Rung.bytes: its init and media segments, measured when the
encoding was made), in the binary megabytes the download link beside the chooser uses
(Django's filesizeformat), so that the two figures on one page agree.
"""

from django.utils.formats import number_format
from django.utils.translation import gettext

MEGABYTE = 1024 * 1024
TINY = 0.1


def megabytes(size: int) -> str:
    """'4.2 MB' ('4,2 МБ' in Russian and Tajik): one decimal under 10 MB, none from 10 MB up."""
    value = size / MEGABYTE
    if value < TINY:
        # Django's own msgid, translated in its catalogues ("%s МБ").
        return "<" + gettext("%s MB") % number_format(TINY, 1)
    shown = round(value, 1) if value < 10 else round(value)
    places = 1 if shown != int(shown) else 0
    return gettext("%s MB") % number_format(shown, places)
