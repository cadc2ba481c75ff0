from django.core.management.base import BaseCommand

from hjulet.core.services import send_digests


class Command(BaseCommand):
    help = "E-mail daily and weekly summaries of notifications that are due (each only once)."

    def handle(self, *args, **options) -> None:
        sent = send_digests()
        self.stdout.write(f"{sent} sammanfattningar skickade.")
