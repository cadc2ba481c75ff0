"""The demo stories and research load through the services and can be loaded again."""

import pytest

from hjulet.accounts import demo as accounts_demo
from hjulet.knowledge import demo as knowledge_demo
from hjulet.stories import demo, selectors
from hjulet.stories.models import InitiativeSuggestion, ResearchReport, ReviewStatus, Story

pytestmark = pytest.mark.django_db


def test_demo_stories_and_accompanying_research():
    users = accounts_demo.load()
    knowledge_demo.load(users)
    assert demo.load(users) == {"stories": 3, "reports": 1}
    assert Story.objects.filter(status=ReviewStatus.PUBLISHED).count() == 2
    assert selectors.pending_stories().get().author.email == "invanare@exempel.se"
    report = ResearchReport.objects.get()
    assert report.method.title == demo.METHOD and "vardagshjält" in report.findings
    assert InitiativeSuggestion.objects.get().status == ReviewStatus.PENDING
    assert demo.load(users) == {"stories": 0, "reports": 0}
