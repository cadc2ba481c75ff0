import datetime

from django.core.management.base import BaseCommand

from hjulet.knowledge.importing import import_prune


class Command(BaseCommand):
    help = "Delete uploaded import files that were never imported, after a number of days."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=7)

    def handle(self, *args, **options) -> None:
        count = import_prune(older_than=datetime.timedelta(days=options["days"]))
        self.stdout.write(f"{count} ej importerade uppladdningar raderade.")
