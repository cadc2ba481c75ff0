"""Hjulet's open collections: what each publishes, as one registry that the catalogue (DCAT),
the whole-collection downloads and the harvesting API all read, so they never disagree.

Each collection names its public objects (only what anyone may see on the site), how one
object becomes a record (a flat dict; its ``id`` is the primary key, stable for the object's
life) and what describes it in the catalogue. Personal contact details (names, e-mail
addresses of people) are left out of every record: the collections are published under
CC BY 4.0 and anyone may copy them."""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Max, Model, QuerySet
from django.urls import reverse
from django.utils.translation import get_language

from hjulet.impact.models import ImpactReport
from hjulet.knowledge.models import Adaptation, Initiative, Method
from hjulet.scienceshop import selectors as scienceshop_selectors
from hjulet.support import exports as support_exports
from hjulet.support.models import FundingCall, SupportStructure

#: Objects read from the database per round while a collection streams.
CHUNK = 500

#: EU data theme vocabulary (publications.europa.eu authority table "data-theme").
THEME = "http://publications.europa.eu/resource/authority/data-theme/"


def site_url(path: str) -> str:
    """An absolute address on the public site (``SITE_URL``), stable whatever the request."""
    return settings.SITE_URL + path


def _codes(terms) -> str:
    return "; ".join(t.code for t in terms)


def _terms(entry: Model, *names: str) -> dict[str, str]:
    """The codes of ``entry``'s terms in each of the vocabularies ``names``."""
    return {name: _codes(getattr(entry, name).all()) for name in names}


def _plain(value: Any) -> Any:
    """A record's value: dates (and times) as ISO 8601 text."""
    return value.isoformat() if isinstance(value, datetime.date) else value


def _initiative(entry: Initiative) -> dict[str, Any]:
    return {
        "title": entry.title,
        "summary": entry.summary,
        "description": entry.description,
        "municipality_code": entry.municipality_id or "",
        "country": entry.country,
        "place": entry.place,
        "stage": entry.stage.code,
        "start_date": entry.start_date,
        "end_date": entry.end_date,
        "participants_reached": entry.participants_reached,
        "results": entry.results,
        "methods": "; ".join(m.slug for m in entry.methods.all()),
        **_terms(entry, "challenges", "target_groups", "sdgs"),
        "language": entry.language,
        "url": site_url(reverse("knowledge:initiative-detail", args=[entry.slug])),
    }


def _method(entry: Method) -> dict[str, Any]:
    return {
        "title": entry.title,
        "summary": entry.summary,
        "what": entry.what,
        "how": entry.how,
        "why": entry.why,
        "requirements": entry.requirements,
        "evidence": entry.evidence,
        "organisations": "; ".join(o.name for o in entry.organisations.all()),
        **_terms(entry, "challenges", "target_groups", "sdgs"),
        "language": entry.language,
        "url": site_url(reverse("knowledge:method-detail", args=[entry.slug])),
    }


def _adaptation(entry: Adaptation) -> dict[str, Any]:
    source = entry.source_method or entry.source_initiative
    kind = "method" if entry.source_method_id else "initiative"
    return {
        "initiative_id": entry.initiative_id,
        "initiative": entry.initiative.title,
        "source_kind": kind,
        "source_id": source.pk,
        "source": source.title,
        "what_changed": entry.what_changed,
        "why": entry.why,
        "url": site_url(reverse("knowledge:initiative-detail", args=[entry.initiative.slug])),
    }


def _structure(entry: SupportStructure) -> dict[str, Any]:
    return support_exports.structure_values(entry, settings.SITE_URL)


def _call(entry: FundingCall) -> dict[str, Any]:
    return support_exports.call_values(entry, settings.SITE_URL)


def _summary(entry) -> dict[str, Any]:
    return {
        "title": entry.title,
        "summary": entry.summary,
        **_terms(entry, "challenges"),
        "funder": entry.funder,
        "link": entry.link,
        "published_at": entry.published_at,
        "url": site_url(reverse("scienceshop:summary-detail", args=[entry.pk])),
    }


def _report(entry: ImpactReport) -> dict[str, Any]:
    return {
        "initiative_id": entry.initiative_id,
        "initiative": entry.initiative.title,
        "what": entry.what,
        "who": entry.who,
        "how_much": entry.how_much,
        "contribution": entry.contribution,
        "risk": entry.risk,
        "published_at": entry.published_at,
        "url": site_url(reverse("impact:report", args=[entry.initiative.slug])),
    }


@dataclass(frozen=True)
class Collection:
    slug: str
    title_sv: str
    title_en: str
    description_sv: str
    description_en: str
    themes: tuple[str, ...]
    keywords_sv: tuple[str, ...]
    public: Callable[[], QuerySet]
    #: An object's values by name; its record holds those of ``fields`` (so a builder the
    #: app's exports share may hold more, such as a contact person, that is not published).
    to_record: Callable[[Any], dict[str, Any]]
    fields: tuple[str, ...] = field(default=())

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "sv").startswith("en") else self.title_sv

    @property
    def description(self) -> str:
        english = (get_language() or "sv").startswith("en")
        return self.description_en if english else self.description_sv

    def objects(self) -> QuerySet:
        """The public objects, oldest change first (a harvester's natural order)."""
        return self.public().order_by("updated_at", "pk")

    def record(self, obj: Model) -> dict[str, Any]:
        values = self.to_record(obj)
        return {
            "id": obj.pk,
            "modified": obj.updated_at.isoformat(),
            **{name: _plain(values[name]) for name in self.fields},
        }

    def records(self, found: QuerySet | None = None) -> Iterator[dict[str, Any]]:
        """Records read ``CHUNK`` objects at a time (related rows prefetched per chunk)."""
        found = self.objects() if found is None else found
        for obj in found.iterator(chunk_size=CHUNK):
            yield self.record(obj)

    def header(self) -> list[str]:
        return ["id", "modified", *self.fields]

    def rows(self) -> Iterator[list[Any]]:
        header = self.header()
        for record in self.records():
            yield [record[name] for name in header]

    def modified(self):
        """When the collection last changed (its newest object's change)."""
        return self.public().aggregate(latest=Max("updated_at"))["latest"]


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _initiatives() -> QuerySet:
    return Initiative.objects.select_related("stage").prefetch_related(
        "methods", "challenges", "target_groups", "sdgs"
    )


def _methods() -> QuerySet:
    return Method.objects.prefetch_related("organisations", "challenges", "target_groups", "sdgs")


def _adaptations() -> QuerySet:
    return Adaptation.objects.select_related("initiative", "source_method", "source_initiative")


def _structures() -> QuerySet:
    return SupportStructure.objects.select_related("organisation").prefetch_related(
        "counties", "municipalities"
    )


def _calls() -> QuerySet:
    return FundingCall.objects.select_related("funder").prefetch_related(
        "challenges", "sdgs", "counties", "municipalities"
    )


def _summaries() -> QuerySet:
    return scienceshop_selectors.published_summaries()


def _reports() -> QuerySet:
    return ImpactReport.objects.filter(is_published=True).select_related("initiative")


COLLECTIONS: dict[str, Collection] = {
    c.slug: c
    for c in (
        Collection(
            slug="initiativ",
            title_sv="Sociala innovationsinitiativ i Sverige",
            title_en="Social innovation initiatives in Sweden",
            description_sv=(
                "Konkreta initiativ för social innovation: plats, skede, partner, metoder, "
                "samhällsutmaningar, målgrupper och Agenda 2030-mål, från Hjulets kunskapsbank."
            ),
            description_en=(
                "Concrete social innovation initiatives: place, stage, methods, societal "
                "challenges, target groups and Agenda 2030 goals, from Hjulet's knowledge bank."
            ),
            themes=("SOCI", "GOVE"),
            keywords_sv=("social innovation", "initiativ", "civilsamhälle"),
            public=_initiatives,
            to_record=_initiative,
            fields=_names(
                "title summary description municipality_code country place stage start_date "
                "end_date participants_reached results methods challenges target_groups sdgs "
                "language url"
            ),
        ),
        Collection(
            slug="metoder",
            title_sv="Metoder för social innovation",
            title_en="Methods for social innovation",
            description_sv=(
                "Återanvändbara arbetssätt: vad de är, hur de görs, varför de fungerar och vad "
                "de kräver, med kunskapsläget om effekterna."
            ),
            description_en=(
                "Reusable ways of working: what they are, how they are done, why they work and "
                "what they take, with what is known about their effects."
            ),
            themes=("SOCI", "EDUC"),
            keywords_sv=("social innovation", "metod"),
            public=_methods,
            to_record=_method,
            fields=_names(
                "title summary what how why requirements evidence organisations challenges "
                "target_groups sdgs language url"
            ),
        ),
        Collection(
            slug="anpassningar",
            title_sv="Spridning: anpassningar av metoder och initiativ",
            title_en="Spread: adaptations of methods and initiatives",
            description_sv=(
                "Vilka initiativ som har anpassat en metod eller ett annat initiativ till en "
                "ny plats eller nya aktörer, och vad som ändrades."
            ),
            description_en=(
                "Which initiatives adapted a method or another initiative to a new place or "
                "new actors, and what was changed."
            ),
            themes=("SOCI",),
            keywords_sv=("social innovation", "spridning", "anpassning"),
            public=_adaptations,
            to_record=_adaptation,
            fields=_names(
                "initiative_id initiative source_kind source_id source what_changed why url"
            ),
        ),
        Collection(
            slug="stodstrukturer",
            title_sv="Stödstrukturer för social innovation",
            title_en="Support structures for social innovation",
            description_sv=(
                "Organisationer som ger råd, finansiering, lokaler, forskningskontakt, nätverk "
                "eller utbildning, med område och målgrupper."
            ),
            description_en=(
                "Organisations that offer advice, funding, premises, research contacts, "
                "networks or training, with the area and audiences they serve."
            ),
            themes=("SOCI", "GOVE"),
            keywords_sv=("social innovation", "stödstruktur", "rådgivning"),
            public=_structures,
            to_record=_structure,
            fields=_names(
                "organisation summary description services area counties municipalities "
                "audiences phone website url"
            ),
        ),
        Collection(
            slug="utlysningar",
            title_sv="Utlysningar för social innovation",
            title_en="Funding calls for social innovation",
            description_sv=(
                "Utlysningar som går att söka pengar ur: syfte, vem som får söka, belopp, "
                "medfinansiering, öppningsdag och sista ansökningsdag, även stängda."
            ),
            description_en=(
                "Funding calls: purpose, who may apply, amounts, co-financing, opening date "
                "and deadline, closed ones included."
            ),
            themes=("SOCI", "ECON"),
            keywords_sv=("social innovation", "utlysning", "finansiering"),
            public=_calls,
            to_record=_call,
            fields=_names(
                "title funder purpose eligibility challenges sdgs area counties municipalities "
                "audiences amount_min amount_max co_financing opens_on deadline link url"
            ),
        ),
        Collection(
            slug="kunskapssammanstallningar",
            title_sv="Kunskapssammanställningar från forskarverkstaden",
            title_en="Knowledge summaries from the science shop",
            description_sv=(
                "Publicerade kunskapssammanställningar: vad forskningen säger om frågor som "
                "organisationer har ställt till forskarverkstaden."
            ),
            description_en=(
                "Published knowledge summaries: what research says about questions that "
                "organisations asked the science shop."
            ),
            themes=("SOCI", "EDUC"),
            keywords_sv=("forskarverkstad", "kunskapssammanställning"),
            public=_summaries,
            to_record=_summary,
            fields=_names("title summary challenges funder link published_at url"),
        ),
        Collection(
            slug="effektrapporter",
            title_sv="Publicerade effektrapporter",
            title_en="Published impact reports",
            description_sv=(
                "Initiativens egna effektrapporter i fem dimensioner (vad, vem, hur mycket, "
                "bidrag, risk), bara de som initiativen har publicerat."
            ),
            description_en=(
                "Initiatives' own impact reports in five dimensions (what, who, how much, "
                "contribution, risk), only those the initiatives published."
            ),
            themes=("SOCI",),
            keywords_sv=("effektmätning", "social påverkan"),
            public=_reports,
            to_record=_report,
            fields=_names(
                "initiative_id initiative what who how_much contribution risk published_at url"
            ),
        ),
    )
}
