"""``{% stories_and_research object %}`` on an initiative's, a method's or a challenge's page:
its published stories and (initiatives and methods) its research reports."""

from typing import Any

from django import template
from django.urls import reverse

from hjulet.arenas.models import Challenge
from hjulet.knowledge.models import Initiative

from .. import selectors, services

register = template.Library()

STORY_PARAMETER = {"initiative": "initiativ", "method": "metod", "challenge": "utmaning"}


@register.inclusion_tag("stories/_for_subject.html", takes_context=True)
def stories_and_research(context: template.Context, subject: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    name = subject._meta.model_name
    story_url = ""
    if user is not None and user.is_authenticated:
        story_url = reverse("stories:story-create")
        if name in STORY_PARAMETER:
            story_url += f"?{STORY_PARAMETER[name]}={subject.slug}"
    reports = None
    report_url = ""
    if not isinstance(subject, Challenge):
        reports = list(selectors.reports_for(subject))
        if services.can_add_report(user, subject):
            kind = "initiativ" if isinstance(subject, Initiative) else "metod"
            report_url = reverse("stories:report-create", args=[kind, subject.slug])
    return {
        "stories": list(selectors.stories_for(subject)[:6]),
        "story_url": story_url,
        "reports": reports,
        "report_url": report_url,
    }
