"""Whether the media storage lets the public fetch public films' files without Django.

True of the disk storage (disk: links nginx serves) and of a bucket with public-read films (s3).

Kept apart from s3.py so that a site on local disk never imports boto3 (tens of MB per worker).
"""

from django.core.files.storage import default_storage


def media_storage():
    """The media storage when public films' files are exposed (see exposure), else None."""
    return default_storage if getattr(default_storage, "public_read", False) else None
