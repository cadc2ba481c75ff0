from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hjulet.site import backups


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup`: every row and uploaded file, then the search "
        "index. Refuses a database that has content unless --replace is given."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete everything in the database first (it cannot be undone)",
        )

    def handle(self, *args, **options) -> None:
        try:
            manifest = backups.restore(Path(options["file"]), replace=options["replace"])
        except backups.BackupError as error:
            raise CommandError(f"{error} Nothing was changed.") from error
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            f"Restored {rows} rows and {manifest['files']} files from a backup made "
            f"{manifest['created']} on {manifest['database']}."
        )
