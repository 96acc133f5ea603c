"""The Content-Security-Policy header, and the one exception to "never in a frame": embeds.

Pages load scripts only from this site and run no inline code (data reach scripts through
`<script type="application/json">` blocks, which are not executed), so `script-src 'self'` holds.
Media may come from the object storage or CDN (MEDIATEKA_MEDIA_ORIGINS), and hls.js feeds the
<video> element from blob: URLs and may run its demuxer in a blob: worker.
"""

from functools import wraps

from django.conf import settings
from django.views.decorators.clickjacking import xframe_options_exempt


def policy(*, frame_ancestors: str = "'none'") -> str:
    media = " ".join(settings.MEDIATEKA_MEDIA_ORIGINS)
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": f"'self' data: {media}",
        "media-src": f"'self' blob: {media}",
        "connect-src": f"'self' {media}",
        "worker-src": "'self' blob:",
        "font-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": frame_ancestors,
    }
    return "; ".join(f"{name} {value.strip()}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        ancestors = getattr(response, "csp_frame_ancestors", None)
        if ancestors is not None:
            # A frameable view (the embed route) gets the whole policy, with its frame-ancestors.
            response["Content-Security-Policy"] = policy(frame_ancestors=ancestors)
        elif "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy()
        return response


def embeddable(view):
    """For the embed route: other sites (MEDIATEKA_EMBED_ANCESTORS, default any) may frame it.

    Lifts both X-Frame-Options (DENY everywhere else) and CSP frame-ancestors ('none' elsewhere);
    any view may instead set `response.csp_frame_ancestors` itself and be exempted from X-Frame-Options.
    """

    @xframe_options_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.csp_frame_ancestors = " ".join(settings.MEDIATEKA_EMBED_ANCESTORS)
        return response

    return wrapped
