import pytest

from hjulet.accounts import demo as accounts_demo

from .. import demo, selectors
from ..models import AdaptationDraft, DraftStatus, SpreadPlan

pytestmark = pytest.mark.django_db


def test_the_demo_tells_a_plan_with_places_and_loads_once():
    users = accounts_demo.load()
    assert demo.load(users) == {"plans": 1, "places": 5}
    assert demo.load(users) == {"plans": 0, "places": 0}
    plan = SpreadPlan.objects.get(title=demo.PLAN)
    progress = selectors.plan_progress(plan)
    assert (progress.reached, progress.target, progress.in_target_area) == (3, 10, 3)
    assert plan.steps.filter(done=True).count() == 2
    lessons = selectors.lessons(plan.method)
    assert [lesson.place for lesson in lessons["stopped"]] == ["Borås"]
    draft = AdaptationDraft.objects.get(status=DraftStatus.DRAFT)
    assert draft.messages.count() == 2
