from django.core.management.base import BaseCommand
from django.db import transaction

from hjulet.scienceshop.indexing import rebuild_researcher_index


class Command(BaseCommand):
    help = "Rebuild the search index of researcher profiles (for the researcher suggestions)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            count = rebuild_researcher_index()
        self.stdout.write(f"researcher: {count}")
