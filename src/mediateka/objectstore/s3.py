"""Media on S3-compatible object storage (django-storages), with the object headers players need.

Every object is written private. Objects of a public film are then made public-read by
`exposure` (so a CDN or the bucket can hand them out), and made private again when the film
stops being public; drafts are served only through Django's signed-path view, which reads the
private objects with the storage's credentials.
"""

from concurrent.futures import ThreadPoolExecutor

from botocore.config import Config
from storages.backends.s3 import S3Storage

from mediateka.video.serving import content_type

IMMUTABLE = "public, max-age=31536000, immutable"
PARALLEL = 16  # ACL requests in flight: one per object, so a film's thousand segments take seconds


class MediaStorage(S3Storage):
    # Only the pointer flip decides what is served, so a stored name is always overwritten in place
    # (a renamed segment would break the playlists' relative links).
    file_overwrite = True
    default_acl = "private"
    # URLs of public objects carry no signature: a CDN caches one URL per object, for a year.
    querystring_auth = False

    def __init__(self, *, public_read: bool = True, **options):
        self.public_read = public_read
        super().__init__(**options)
        # exposure sets ACLs from a thread pool; one connection per thread avoids queueing.
        self.client_config = self.client_config.merge(Config(max_pool_connections=32))

    def get_object_parameters(self, name: str) -> dict:
        params = super().get_object_parameters(name)
        params["ContentType"] = content_type(name)
        if name.startswith(("encodings/", "captions/")):
            # Every encoding and caption file lives under a prefix made for it and is never
            # rewritten, so caches may keep it for good.
            params["CacheControl"] = IMMUTABLE
        return params

    def public_url(self, name: str) -> str | None:
        """The bucket's (or the CDN's) address of a public object; None when Django serves media."""
        return self.url(name) if self.public_read else None

    def tree_stored(self, prefix: str) -> None:
        """Called when a whole encoding is in storage: give its objects the film's visibility."""
        if self.public_read:
            from .exposure import sync_prefix

            sync_prefix(prefix)

    def expose(self, prefix: str, public: bool) -> None:
        """Gives every object under prefix public-read or private."""
        client = self.connection.meta.client  # boto3 clients may be shared between threads
        acl = "public-read" if public else "private"
        root = self._normalize_name(prefix).rstrip("/") + "/"
        keys = []
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket_name, Prefix=root):
            keys += [entry["Key"] for entry in page.get("Contents", ())]
        with ThreadPoolExecutor(PARALLEL) as pool:
            list(pool.map(lambda key: client.put_object_acl(Bucket=self.bucket_name, Key=key, ACL=acl), keys))

    def stream_range(self, name: str, first: int, length: int, chunk: int):
        """The bytes first..first+length-1 of an object, fetched with one ranged GET."""
        if length <= 0:
            return
        key = self._normalize_name(name)
        body = self.connection.meta.client.get_object(
            Bucket=self.bucket_name, Key=key, Range=f"bytes={first}-{first + length - 1}"
        )["Body"]
        try:
            yield from body.iter_chunks(chunk)
        finally:
            body.close()
