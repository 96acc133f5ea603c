"""The one exception to "never in a frame": views other sites may embed.

The policy itself is settings.CONTENT_SECURITY_POLICY, sent by django-csp's middleware.
"""

from functools import wraps

from django.conf import settings
from django.views.decorators.clickjacking import xframe_options_exempt


def embeddable(view):
    """Other sites (MEDIATEKA_EMBED_ANCESTORS, default any) may frame the view: X-Frame-Options
    (DENY elsewhere) is lifted, and so is CSP frame-ancestors ('none' elsewhere)."""

    @xframe_options_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        # Read per request rather than fixed by csp_replace at import, so the setting can change.
        response._csp_replace = {"frame-ancestors": settings.MEDIATEKA_EMBED_ANCESTORS}
        return response

    return wrapped
