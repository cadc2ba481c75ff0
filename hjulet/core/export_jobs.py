"""Large exports built by the task worker into a file (the same django-tasks mechanism as
large imports): ``start_export`` queues an ``ExportFile``, ``build_export`` writes the rows
to a temporary file and saves it through Django's default storage, and the person who asked
downloads it from its page when it is ready.

A kind of export is a dotted path in ``KINDS`` to a function ``(query, base_url, user) →
(header, rows, sheet title, file name without extension)``, so that core does not import
the apps: the initiative list, the support directory, the funding calls and a survey's
responses. ``user`` is who asked: a builder checks again that they may read the rows (a
survey's answers), since rights may have changed while the export waited.
"""

import logging
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task

from hjulet.lib.tabular import iter_csv, iter_json, write_xlsx

from . import audit
from .models import ExportFile
from .permissions import require_signed_in

logger = logging.getLogger(__name__)

# kind → the dotted path of its builder; each app registers its own in its AppConfig.ready().
KINDS: dict[str, str] = {}
FORMATS = ("csv", "xlsx", "json")
WRITE_EVERY_SECONDS = 1.0


def register(kind: str, builder: str) -> None:
    """Offer ``kind`` for building in the background by ``builder`` (a dotted path to a
    function taking who asked and the list page's query)."""
    KINDS[kind] = builder


def start_export(*, actor: Any, kind: str, fmt: str, query: str, total: int) -> ExportFile:
    """Queue the export of ``kind`` (filtered by the list page's ``query``) for the worker."""
    require_signed_in(actor)
    if kind not in KINDS or fmt not in FORMATS:
        raise ValueError(f"unknown export {kind}.{fmt}")
    with transaction.atomic():
        export = ExportFile.objects.create(
            user=actor, kind=kind, format=fmt, query=query, rows_total=total, filename=""
        )
        audit.record(
            actor=actor,
            action="export.queue",
            target=export,
            changes={"kind": [None, kind], "format": [None, fmt], "rows": [None, total]},
        )
        transaction.on_commit(lambda: build_export.enqueue(export.pk))
    return export


@task()
def build_export(export_id: int) -> str:
    taken = ExportFile.objects.filter(pk=export_id, status=ExportFile.Status.QUEUED).update(
        status=ExportFile.Status.BUILDING, started_at=timezone.now()
    )
    if not taken:
        return "gone"
    export = ExportFile.objects.select_related("user").get(pk=export_id)
    try:
        builder = import_string(KINDS[export.kind])
        header, rows, title, stem = builder(QueryDict(export.query), settings.SITE_URL, export.user)
        with tempfile.TemporaryFile() as destination:
            _write(destination, export, header, _counted(export, rows), title)
            destination.seek(0)
            export.filename = f"{stem}.{export.format}"
            export.file.save(export.filename, File(destination), save=False)
    except Exception:
        logger.exception("Export %s failed", export.pk)
        ExportFile.objects.filter(pk=export.pk).update(
            status=ExportFile.Status.FAILED,
            failure=_("The file could not be made because of an error on our side."),
            finished_at=timezone.now(),
        )
        return "failed"
    export.status = ExportFile.Status.READY
    export.finished_at = timezone.now()
    export.rows_total = export.rows_done
    export.save()
    return "ready"


def _write(
    destination: Any, export: ExportFile, header: Sequence[str], rows: Iterable, title: str
) -> None:
    if export.format == "xlsx":
        write_xlsx(destination, header, rows, title)
        return
    write = iter_csv if export.format == "csv" else iter_json
    for piece in write(header, rows):
        destination.write(piece)


def _counted(export: ExportFile, rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    """The rows, writing how many have gone by on the export at most once a second."""
    written_at = time.monotonic()
    count = 0
    for row in rows:
        count += 1
        if time.monotonic() - written_at >= WRITE_EVERY_SECONDS:
            written_at = time.monotonic()
            ExportFile.objects.filter(pk=export.pk).update(rows_done=count)
        yield row
    export.rows_done = count
