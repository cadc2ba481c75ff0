from typing import Any

from hjulet.core.models import Municipality
from hjulet.knowledge.tests.factories import make_method

from .. import services


def make_plan(actor: Any, method: Any = None, **fields: Any):
    method = method or make_method(actor, organisations=[actor.memberships.first().organisation])
    defaults = {
        "title": "Tio nya orter",
        "goal": "Fler bostadsområden har läxhjälp.",
        "target_places": 4,
        "target_year": 2030,
        "audiences": "Bostadsbolag\nStudieförbund",
    }
    return services.plan_create(actor=actor, method=method, **{**defaults, **fields})


def publishable_draft(actor: Any, method: Any, code: str = "1480"):
    draft = services.draft_create(
        actor=actor, source_method=method, municipality=Municipality.objects.get(code=code)
    )
    return services.draft_update(
        actor=actor, draft=draft, what_to_change="Vi kör på lördagar i stället för kvällar."
    )
