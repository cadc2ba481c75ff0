"""Background work for the support capability, for deployments that schedule tasks instead of
running ``manage.py send_call_reminders`` from cron."""

from django_tasks import task

from .services import call_reminders_send


@task()
def send_call_reminders() -> int:
    return call_reminders_send()
