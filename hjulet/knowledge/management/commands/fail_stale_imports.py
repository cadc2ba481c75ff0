from django.core.management.base import BaseCommand

from hjulet.knowledge.import_jobs import fail_stale_imports, stale_minutes


class Command(BaseCommand):
    help = (
        "Mark imports failed whose worker has shown no progress for IMPORT_STALE_MINUTES "
        "(it was killed or the machine restarted); for cron, e.g. every five minutes."
    )

    def handle(self, *args, **options) -> None:
        count = fail_stale_imports()
        self.stdout.write(
            f"{count} avbrutna importer markerade som misslyckade "
            f"(inga framsteg på {stale_minutes()} minuter)."
        )
