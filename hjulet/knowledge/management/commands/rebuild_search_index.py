from django.core.management.base import BaseCommand
from django.db import transaction

from hjulet.knowledge.indexing import rebuild_all


class Command(BaseCommand):
    help = "Rebuild the full-text index of methods and initiatives from the database."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            counts = rebuild_all()
        self.stdout.write(", ".join(f"{kind}: {count}" for kind, count in counts.items()))
