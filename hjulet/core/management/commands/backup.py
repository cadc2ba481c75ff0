from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from hjulet.core import backups


class Command(BaseCommand):
    help = "Back up the whole database and the uploaded files to one .tar.gz file."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "file",
            nargs="?",
            help="where to write it (default: hjulet-backup-<date and time>.tar.gz here)",
        )

    def handle(self, *args, **options) -> None:
        stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M%S")
        destination = Path(options["file"] or f"hjulet-backup-{stamp}.tar.gz")
        manifest = backups.create(destination)
        rows = sum(manifest["rows"].values())
        self.stdout.write(f"{destination}: {rows} rows, {manifest['files']} files.")
