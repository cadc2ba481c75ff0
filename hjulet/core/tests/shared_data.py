"""Where the tests find the shared reference data (``shared/data`` beside the repository).

``HJULET_SHARED_DATA`` names the folder; without it, ``shared/data`` next to the repository's
folder (``<repo>/../shared/data``: where CI lays its copy beside the fresh clone, and where
the main working copy has it). A test that needs a file calls ``shared_file``: when the file
is missing it fails in CI (``CI=true``), where the data is always there, and elsewhere skips
with a reason that says where it looked and how to point at the data.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings


def shared_data_dir() -> Path:
    configured = os.environ.get("HJULET_SHARED_DATA", "").strip()
    if configured:
        return Path(configured)
    return Path(settings.BASE_DIR).parent / "shared" / "data"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def shared_file(name: str) -> Path:
    """The path of a shared data file; fails (in CI) or skips (elsewhere) when it is missing."""
    path = shared_data_dir() / name
    if not path.is_file():
        message = (
            f"The shared reference data file {path} is missing. Set HJULET_SHARED_DATA to the "
            "folder that holds it (by default ../shared/data beside the repository)."
        )
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return path
