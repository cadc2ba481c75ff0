"""Researcher profiles in the search index, for the science shop's researcher suggestions.

Kind ``researcher`` is not public: it is only searched by ``selectors.suggest_researchers``
(through ``search.similar``) and must never be listed in a site-wide search. A document's
``pk`` is the researcher's user id, so that erasing the account (``accounts.user_delete``)
can remove it without knowing this app."""

from collections.abc import Iterable

from hjulet.core import search

from .models import ResearcherProfile

RESEARCHER_KIND = "researcher"


def _document(profile: ResearcherProfile) -> tuple[int, str, str]:
    # The expertise is what a question is matched with first: it is the title (weighted
    # above the body); earlier work and the department are the body. Names are left out.
    body = "\n".join(part for part in (profile.earlier_work, profile.department) if part)
    return profile.user_id, profile.expertise, body


def index_researcher_profile(profile: ResearcherProfile) -> None:
    pk, title, body = _document(profile)
    search.index_document(kind=RESEARCHER_KIND, pk=pk, title=title, body=body)


def remove_researcher_profile(user_id: int) -> None:
    search.remove_document(kind=RESEARCHER_KIND, pk=user_id)


def rebuild_researcher_index(profiles: Iterable[ResearcherProfile] | None = None) -> int:
    """Every researcher profile indexed anew (a management command, a data migration)."""
    if profiles is None:
        profiles = ResearcherProfile.objects.only(
            "user_id", "expertise", "earlier_work", "department"
        ).iterator(chunk_size=1000)
    return search.rebuild(RESEARCHER_KIND, (_document(profile) for profile in profiles))
