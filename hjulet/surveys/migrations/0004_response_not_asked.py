"""Responses record the questions a condition hid from the respondent (``not_asked``), so the
results can count "not asked" apart from "did not answer". Existing responses get the list
from their stored answers, by the same rule as ``answers.relevant_names``."""

from django.db import migrations, models

from hjulet.lib import conditions

NO_ANSWER_TYPES = ("note", "group")
BATCH = 1000


def _expression(source):
    if not source:
        return None
    try:
        return conditions.parse(source)
    except conditions.ExpressionError:
        return None


def fill_not_asked(apps, schema_editor):
    Question = apps.get_model("surveys", "Question")
    Response = apps.get_model("surveys", "Response")
    Survey = apps.get_model("surveys", "Survey")
    for survey in Survey.objects.all().iterator():
        questions = list(
            Question.objects.filter(survey=survey).select_related("group").order_by("position", "pk")
        )
        if not any(q.relevant for q in questions):
            continue  # every question is shown to everyone
        expressions = {q.pk: _expression(q.relevant) for q in questions}
        changed = []
        for response in Response.objects.filter(survey=survey).order_by("pk").iterator():
            shown = set()
            for question in questions:
                if question.group_id and question.group.name not in shown:
                    continue
                expression = expressions[question.pk]
                if expression is None or expression.evaluate(response.answers):
                    shown.add(question.name)
            response.not_asked = [
                q.name for q in questions if q.type not in NO_ANSWER_TYPES and q.name not in shown
            ]
            changed.append(response)
            if len(changed) >= BATCH:
                Response.objects.bulk_update(changed, ["not_asked"])
                changed = []
        Response.objects.bulk_update(changed, ["not_asked"])


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0003_survey_access"),
    ]

    operations = [
        migrations.AddField(
            model_name="response",
            name="not_asked",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(fill_not_asked, migrations.RunPython.noop),
    ]
