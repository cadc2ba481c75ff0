from typing import Any

from django import template
from django.urls import reverse

from hjulet.knowledge.models import Method

from .. import selectors, services

register = template.Library()


@register.inclusion_tag("spreading/_method_panel.html", takes_context=True)
def adapt_panel(context: dict[str, Any], source: Any) -> dict[str, Any]:
    """ "Adapt it to your place" on a method's or an initiative's page; for a method also its
    plans with their progress and what its adaptations learned."""
    user = context["request"].user
    is_method = isinstance(source, Method)
    kind = "start-method" if is_method else "start-initiative"
    result: dict[str, Any] = {
        "source": source,
        "places": selectors.adapting_places(source),
        "start_url": reverse(f"spreading:{kind}", args=[source.slug]),
        "plans": None,
    }
    if is_method:
        result["plans"] = [
            {"plan": plan, "progress": selectors.plan_progress(plan)}
            for plan in selectors.plans_for_method(source)
        ]
        result["can_plan"] = services.can_create_plan(user, source)
        result["lessons"] = selectors.latest_lessons(source)
    return result
