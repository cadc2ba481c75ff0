"""Uploads in an S3-compatible bucket (``STORAGE_BACKEND=s3``): django-storages' S3 storage,
which like ``PrivateFileStorage`` gives a file no address of its own, so every download goes
through a view that checks the reader's rights.

Needs the optional extra: ``pip install ".[s3]"`` (django-storages with boto3). Not tested
against a real S3 server in this repository: the tests swap in Django's ``InMemoryStorage`` to
show that every upload goes through the storage API.
"""

from django.utils.deconstruct import deconstructible
from storages.backends.s3 import S3Storage


@deconstructible
class PrivateS3Storage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError(
            "Uploaded files have no public address: link to the view that serves them."
        )
