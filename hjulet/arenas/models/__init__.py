"""Arenas where sectors meet, the challenges they post, residents' ideas and what follows.

One module per aggregate: ``arenas`` (arenas, their organisations, people and agreements),
``challenges`` (challenges and their events), ``ideas`` (ideas, comments, support, follows),
``moderation`` (reports and decisions)."""

from ._common import NO_NUL, USER
from .arenas import (
    MAX_DOCUMENT_BYTES,
    MAX_DOCUMENT_PAGES,
    AgreementKind,
    AgreementStatus,
    Arena,
    ArenaOrganisation,
    ArenaPerson,
    ArenaRole,
    PartnershipAgreement,
    PersonRole,
)
from .challenges import Challenge, Event, EventKind, Phase, Registration, RegistrationStatus
from .ideas import Comment, Follow, Idea, IdeaRevision, Moderated, Support
from .moderation import HIDE_AFTER_REPORTS, Decision, Report, ReportReason

__all__ = [
    "HIDE_AFTER_REPORTS",
    "MAX_DOCUMENT_BYTES",
    "MAX_DOCUMENT_PAGES",
    "NO_NUL",
    "USER",
    "AgreementKind",
    "AgreementStatus",
    "Arena",
    "ArenaOrganisation",
    "ArenaPerson",
    "ArenaRole",
    "Challenge",
    "Comment",
    "Decision",
    "Event",
    "EventKind",
    "Follow",
    "Idea",
    "IdeaRevision",
    "Moderated",
    "PartnershipAgreement",
    "PersonRole",
    "Phase",
    "Registration",
    "RegistrationStatus",
    "Report",
    "ReportReason",
    "Support",
]
