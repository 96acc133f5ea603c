"""Whether media live in a bucket whose public films' objects are public-read.

Kept apart from s3.py so that a site on local disk never imports boto3 (tens of MB per worker).
"""

from django.core.files.storage import default_storage


def media_storage():
    """The media storage when it is object storage whose public films' objects are public-read."""
    return default_storage if getattr(default_storage, "public_read", False) else None
