"""The knowledge bank: methods, initiatives and how they spread (adaptations)."""

from .entries import Entry, Initiative, Language, Method
from .imports import ColumnMapping, ImportBatch, ImportValueMapping
from .partners import (
    Adaptation,
    InitiativeEditor,
    PartnerRole,
    Partnership,
    PartnershipQuerySet,
    PartnershipStatus,
)

__all__ = [
    "Adaptation",
    "ColumnMapping",
    "Entry",
    "ImportBatch",
    "ImportValueMapping",
    "Initiative",
    "InitiativeEditor",
    "Language",
    "Method",
    "PartnerRole",
    "Partnership",
    "PartnershipQuerySet",
    "PartnershipStatus",
]
