from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.utils import timezone

from hjulet.surveys import services
from hjulet.surveys.models import Survey, SurveyStatus


class Command(BaseCommand):
    help = "Remind everyone invited to an open survey who has not answered (run e.g. weekly)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--survey", help="only this survey (its address name)")

    def handle(self, *args, survey=None, **options) -> None:
        surveys = Survey.objects.filter(status=SurveyStatus.OPEN).exclude(
            deadline__lte=timezone.now()
        )
        if survey:
            surveys = surveys.filter(slug=survey)
        for item in surveys:
            try:
                count = services.invitations_remind(actor=None, survey=item)
            except ValidationError as error:
                self.stderr.write(f"{item.slug}: {' '.join(error.messages)}")
                continue
            self.stdout.write(f"{item.slug}: {count} reminders")
