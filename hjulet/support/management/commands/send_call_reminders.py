from django.core.management.base import BaseCommand

from hjulet.support.services import REMIND_DAYS_BEFORE, call_reminders_send


class Command(BaseCommand):
    help = (
        f"Remind the followers of funding calls whose deadline is at most {REMIND_DAYS_BEFORE} "
        "days away (each follower once). Run daily, e.g. from cron."
    )

    def handle(self, *args, **options) -> None:
        sent = call_reminders_send()
        self.stdout.write(f"Påminnelser skickade: {sent}.")
