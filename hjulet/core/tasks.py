from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(*, to: list[str], subject: str, body: str) -> int:
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    return message.send()
