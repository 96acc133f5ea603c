"""Makes the bucket that MEDIATEKA_S3_BUCKET names ready for Mediateka, on any S3-compatible server.

What the media storage needs of its bucket (docs/deploy.md, "Object storage and CDN"): that it
exists; that it accepts per-object ACLs (public films' objects are public-read, everything else
private), which on AWS means Object Ownership "BucketOwnerPreferred" and Block Public Access off
for ACLs; and CORS rules that let players on the site's pages and on partners' pages read media
with Range requests. Run again, it changes nothing that is already right.
"""

from django.conf import settings
from django.core.files.storage import default_storage

MAX_AGE = 86400


def cors_rules(origins: list[str]) -> dict:
    return {
        "CORSRules": [
            {
                "AllowedOrigins": origins,
                "AllowedMethods": ["GET", "HEAD"],
                "AllowedHeaders": ["Range"],
                "ExposeHeaders": ["Content-Length", "Content-Range"],
                "MaxAgeSeconds": MAX_AGE,
            }
        ]
    }


def site_origins() -> list[str]:
    """The site's own origins (CSRF_TRUSTED_ORIGINS), then `*`: partner sites embed the player."""
    return [*settings.CSRF_TRUSTED_ORIGINS, "*"]


def set_up() -> list[str]:
    """Creates and configures the bucket; returns what was done, one line each."""
    if not settings.MEDIATEKA_S3_BUCKET:
        raise ValueError("MEDIATEKA_S3_BUCKET is empty: media are on disk and there is no bucket to set up.")
    from botocore.exceptions import ClientError

    client = default_storage.connection.meta.client
    bucket = settings.MEDIATEKA_S3_BUCKET
    done = []
    try:
        client.head_bucket(Bucket=bucket)
        done.append(f"bucket {bucket}: exists")
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket"):
            raise
        region = settings.MEDIATEKA_S3_REGION
        extra = (
            {"CreateBucketConfiguration": {"LocationConstraint": region}}
            if region and region != "us-east-1"
            else {}
        )
        client.create_bucket(Bucket=bucket, ACL="private", **extra)
        done.append(f"bucket {bucket}: created, private")
    # AWS-only switches: other servers (Ceph's RADOS Gateway, MinIO) accept ACLs as they are.
    for name, call in (
        (
            "object ownership BucketOwnerPreferred",
            lambda: client.put_bucket_ownership_controls(
                Bucket=bucket,
                OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]},
            ),
        ),
        (
            "public access block: objects' ACLs honoured",
            lambda: client.put_public_access_block(
                Bucket=bucket,
                PublicAccessBlockConfiguration={
                    "BlockPublicAcls": False,
                    "IgnorePublicAcls": False,
                    "BlockPublicPolicy": True,
                    "RestrictPublicBuckets": True,
                },
            ),
        ),
    ):
        try:
            call()
            done.append(name)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code not in ("NotImplemented", "MethodNotAllowed", "InvalidRequest", "XNotImplemented"):
                raise
            done.append(f"{name}: not offered by this server (its ACLs work as they are)")
    origins = site_origins()
    client.put_bucket_cors(Bucket=bucket, CORSConfiguration=cors_rules(origins))
    done.append("CORS: GET and HEAD with Range from " + ", ".join(origins))
    return done
