"""``{% impact_report_link initiative %}``: a link from an initiative's page to its impact
report, for everyone once the report is published and, while it is a draft, for those who
may already see the follow-up (its partners and coordinators). One query for a visitor."""

from django import template

from hjulet.knowledge.models import Initiative

from .. import selectors

register = template.Library()


@register.inclusion_tag("impact/_report_link.html", takes_context=True)
def impact_report_link(context: template.Context, initiative: Initiative) -> dict:
    return {"initiative": initiative, "report": selectors.report_visible_to(
        context["request"].user, initiative
    )}  # fmt: skip
