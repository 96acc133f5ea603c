"""The client's address for sign-in rate limiting, also behind a proxy or a load balancer.

Behind nginx every request comes from 127.0.0.1; the client is the address that the nearest
trusted proxy appended to X-Forwarded-For. Addresses further left are whatever the client wrote,
so only MEDIATEKA_TRUSTED_PROXY_HOPS entries from the right are believed.
"""

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    hops = settings.MEDIATEKA_TRUSTED_PROXY_HOPS
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not hops or not forwarded:
        return remote
    chain = [part.strip() for part in forwarded.split(",") if part.strip()]
    return chain[-hops] if len(chain) >= hops else chain[0]
