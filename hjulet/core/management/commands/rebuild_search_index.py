from django.core.management.base import BaseCommand
from django.db import transaction

from hjulet.core.search.registry import rebuild_all


class Command(BaseCommand):
    help = "Rebuild the full-text index of every searchable kind from the database."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            counts = rebuild_all()
        self.stdout.write(", ".join(f"{kind}: {count}" for kind, count in counts.items()))
