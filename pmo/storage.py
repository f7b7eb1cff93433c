"""Where uploaded and generated files live: S3-compatible object storage when a bucket is configured."""


def s3_storage(*, bucket: str, endpoint_url: str = "", region: str = "", access_key: str = "",
               secret_key: str = "") -> dict:
    """The STORAGES entry of a private bucket (django-storages). No page ever links to the bucket: no ACL is
    set (the bucket's own policy, private, holds), URLs would be signed, and the download views stream each
    file through the permission check. Empty credentials leave boto3's own chain (an instance role, ~/.aws)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            # A server of our own (MinIO) answers at one host name, not at <bucket>.<host>.
            "addressing_style": "path" if endpoint_url else None,
            "default_acl": None,
            "querystring_auth": True,
            # As on disk: a file saved under a name in use gets a name of its own (a purchase order's PDF
            # sent again must not replace the one sent before).
            "file_overwrite": False,
            # A download is read from the bucket into memory up to this size, beyond it into a temporary file.
            "max_memory_size": 2 * 1024 * 1024,
        },
    }
