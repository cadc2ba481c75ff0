from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from hjulet.site import backups


class Command(BaseCommand):
    help = (
        "Back up the whole database and the uploaded files to one archive: pg_dump's custom "
        "format on PostgreSQL, the portable format (restores into SQLite or PostgreSQL) on "
        "SQLite or with --portable."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "file",
            nargs="?",
            help="where to write it (default: hjulet-backup-<date and time>.tar[.gz] here)",
        )
        kind = parser.add_mutually_exclusive_group()
        kind.add_argument(
            "--portable",
            action="store_true",
            help="the portable format on PostgreSQL too (to move a site to SQLite)",
        )
        kind.add_argument(
            "--pg-dump",
            action="store_true",
            help="pg_dump's custom format (the default on PostgreSQL)",
        )

    def handle(self, *args, **options) -> None:
        portable = options["portable"] or (
            connection.vendor != "postgresql" and not options["pg_dump"]
        )
        stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M%S")
        suffix = ".tar.gz" if portable else ".tar"
        destination = Path(options["file"] or f"hjulet-backup-{stamp}{suffix}")
        try:
            manifest = backups.create(destination, portable=portable)
        except backups.BackupError as error:
            destination.unlink(missing_ok=True)
            raise CommandError(str(error)) from error
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            f"{destination}: {rows} rows ({manifest['kind']}), {manifest['files']} files."
        )
