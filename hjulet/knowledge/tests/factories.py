from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from hjulet.core.models import Municipality, Term, Vocabulary
from hjulet.knowledge import importing, services
from hjulet.knowledge.models import ImportBatch, Initiative, Method


def term(slug: str, code: str) -> Term:
    return Term.objects.select_related("vocabulary").get(vocabulary__slug=slug, code=code)


def make_initiative(actor, lead=None, **fields) -> Initiative:
    """An initiative registered through the service, as a person would."""
    lead = lead or actor.memberships.first().organisation
    defaults = {
        "title": "Läxhjälp i Ersboda",
        "summary": "Frivilliga hjälper barn med läxorna två kvällar i veckan.",
        "municipality": Municipality.objects.get(code="2480"),
        "stage": term(Vocabulary.STAGE, "test"),
    }
    return services.initiative_create(actor=actor, lead=lead, **{**defaults, **fields})


def make_method(actor, **fields) -> Method:
    defaults = {
        "title": "Språkcafé",
        "summary": "Samtal på svenska i en avslappnad miljö.",
        "what": "Volontärer och nyanlända samtalar på svenska över en kopp kaffe.",
    }
    return services.method_create(actor=actor, **{**defaults, **fields})


def prepare_import(
    actor, lead, content: bytes, name: str = "initiativ.csv", **options
) -> ImportBatch:
    """The file ``name`` holding ``content`` uploaded for import by ``actor`` for ``lead``
    (``options`` as for ``import_prepare``), its messages in English as the tests read them."""
    with translation.override("en"):
        return importing.import_prepare(
            actor=actor, upload=SimpleUploadedFile(name, content), lead=lead, **options
        )


def commit_import(actor, batch, **options) -> int:
    """``batch`` imported by ``actor``, its messages in English as the tests read them."""
    with translation.override("en"):
        return importing.import_commit(actor=actor, batch=batch, **options)
