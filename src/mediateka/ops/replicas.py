"""Public page views read from a PostgreSQL read replica (DATABASE_REPLICA_URL), all else the primary.

A replica runs a little behind the primary. Only requests that cannot notice are sent to it:
GET or HEAD, without a session cookie (so never a signed-in editor who expects to see the change
just saved) and outside the admin. Writes, the worker and management commands use the primary,
because the choice is made per request and the default is the primary.
"""

from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_reads_from_replica: ContextVar[bool] = ContextVar("reads_from_replica", default=False)


def may_read_from_replica(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(("/admin/", "/upload/"))
    )


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _reads_from_replica.get() else None

    def db_for_write(self, model, **hints):
        return None  # the primary ("default")

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, copied: rows from either may be related

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # the replica gets its schema by replication


class ReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _reads_from_replica.set(may_read_from_replica(request))
        try:
            return self.get_response(request)
        finally:
            _reads_from_replica.reset(token)
