"""How far the worker has come with a batch."""

import datetime
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from hjulet.lib.spreadsheets import StreamedTable

from ..models import ImportBatch
from ._common import Phase

#: The rows checked are written on the batch at most this often (seconds).
WRITE_EVERY_SECONDS = 1.0


def progress_dir() -> Path:
    configured = getattr(settings, "IMPORT_PROGRESS_DIR", None)
    return Path(configured or Path(tempfile.gettempdir()) / "hjulet-import-progress")


class BatchReporter:
    """Writes the rows checked on the batch, at most once a second (no transaction is open
    while checking, so the page sees it at once)."""

    def __init__(self, batch: ImportBatch) -> None:
        self.batch = batch
        self.written_at = 0.0

    def expect(self, table: StreamedTable) -> None:
        """The number of rows to show progress against, before they are read: what an
        XLSX file's dimensions claim, else the rough count the upload gave."""
        if table.expected_rows:
            self.batch.row_count = table.expected_rows
            ImportBatch.objects.filter(pk=self.batch.pk).update(row_count=table.expected_rows)

    def __call__(self, rows_done: int) -> None:
        now = time.monotonic()
        if now - self.written_at < WRITE_EVERY_SECONDS:
            return
        self.written_at = now
        ImportBatch.objects.filter(pk=self.batch.pk).update(
            rows_done=rows_done, updated_at=timezone.now()
        )


class FileReporter:
    """Writes the rows saved to ``<IMPORT_PROGRESS_DIR>/<batch id>.json``: the import's
    transaction holds the batch's row (and on SQLite the whole database) until it ends."""

    def __init__(self, batch: ImportBatch) -> None:
        self.path = progress_file(batch.pk)

    def __call__(self, rows_done: int) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".tmp")
        partial.write_text(json.dumps({"rows_done": rows_done}))
        os.replace(partial, self.path)  # a reader sees the old or the new, never half

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


def progress_file(batch_id: int) -> Path:
    return progress_dir() / f"{int(batch_id)}.json"


def _rows_in_file(batch_id: int) -> int | None:
    try:
        return int(json.loads(progress_file(batch_id).read_text())["rows_done"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


@dataclass(frozen=True)
class Progress:
    phase: str
    rows_done: int
    rows_total: int
    started_at: datetime.datetime | None
    seconds_left: int | None

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))

    @property
    def minutes_left(self) -> int | None:
        return None if self.seconds_left is None else max(1, round(self.seconds_left / 60))


def progress_of(batch: ImportBatch) -> Progress:
    """How far the worker has come with the batch, and about how long it has left (from
    the rate so far; unknown until some rows are done)."""
    done = batch.rows_done
    if batch.phase == Phase.IMPORTING:
        done = _rows_in_file(batch.pk) or 0
    total = batch.row_count
    left = None
    if batch.phase in {Phase.CHECKING, Phase.IMPORTING} and done and batch.phase_started_at:
        elapsed = (timezone.now() - batch.phase_started_at).total_seconds()
        left = max(0, round(elapsed / done * max(total - done, 0)))
    return Progress(
        batch.phase, min(done, total) if total else done, total, batch.phase_started_at, left
    )
