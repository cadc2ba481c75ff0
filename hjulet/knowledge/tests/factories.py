from hjulet.core.models import Municipality, Term, Vocabulary
from hjulet.knowledge import services
from hjulet.knowledge.models import Initiative, Method


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
