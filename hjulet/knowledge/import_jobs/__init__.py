"""Large imports in the background: files of more than ``IMPORT_BACKGROUND_ROWS`` rows are
checked and imported by tasks (django-tasks; ``manage.py db_worker`` runs them) instead of
in the request, with their progress kept where the page and the API can read it.

- ``start_import`` takes the upload. A small file is checked at once by
  ``importing.import_prepare``; a large one is stored in an ``ImportBatch`` in phase
  "queued" and ``check_import`` checks it in the worker.
- ``commit_import`` imports a checked file: a small one at once with
  ``importing.import_commit``, a large one by ``run_import`` in the worker (phase
  "waiting", then "importing"); still one transaction, all rows or none.
- Progress: while checking, the rows checked are written on the batch now and then (no
  transaction is open). While importing, the batch row is locked by the import's own
  transaction (and on SQLite nobody else may write at all), so the rows saved go to a small
  file per batch in ``IMPORT_PROGRESS_DIR`` that ``progress_of`` reads.
- When a task ends, the uploader gets an e-mail (checked, imported or failed).
"""

from ._common import Phase
from .progress import (
    WRITE_EVERY_SECONDS,
    BatchReporter,
    FileReporter,
    Progress,
    progress_dir,
    progress_file,
    progress_of,
)
from .stale import (
    DEFAULT_STALE_MINUTES,
    RUNNING,
    fail_if_stale,
    fail_stale_imports,
    is_stale,
    last_progress,
    stale_message,
    stale_minutes,
    uploaders_batch,
)
from .starting import (
    DEFAULT_BACKGROUND_ROWS,
    XLSX_BYTES_PER_ROW,
    background_rows,
    can_commit,
    can_commit_good_rows,
    commit_import,
    remap_import,
    rough_row_count,
    start_import,
)
from .tasks import Checked, check_import, check_in_chunks, logger, run_import

__all__ = [
    "DEFAULT_BACKGROUND_ROWS",
    "DEFAULT_STALE_MINUTES",
    "RUNNING",
    "WRITE_EVERY_SECONDS",
    "XLSX_BYTES_PER_ROW",
    "BatchReporter",
    "Checked",
    "FileReporter",
    "Phase",
    "Progress",
    "background_rows",
    "can_commit",
    "can_commit_good_rows",
    "check_import",
    "check_in_chunks",
    "commit_import",
    "fail_if_stale",
    "fail_stale_imports",
    "is_stale",
    "last_progress",
    "logger",
    "progress_dir",
    "progress_file",
    "progress_of",
    "remap_import",
    "rough_row_count",
    "run_import",
    "stale_message",
    "stale_minutes",
    "start_import",
    "uploaders_batch",
]
