from django.core.management.base import BaseCommand

from hjulet.core import temporary_uploads as uploads


class Command(BaseCommand):
    help = "Remove uploads kept for a preview whose time has run out (run it hourly)."

    def handle(self, *args, **options) -> None:
        count = uploads.purge_expired()
        self.stdout.write(f"{count} expired uploads removed.")
