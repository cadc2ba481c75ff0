import datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field

from hjulet.accounts.schemas import MunicipalityRef, TermRef
from hjulet.core.schemas import VERSION_DESCRIPTION, PictureOut

# What an initiative's or a method's schemas say alike, described once.
Language = Annotated[str, Field(description="The language of the text: sv or en")]
Kommun = Annotated[
    MunicipalityRef | None, Field(description="The kommun; null for an international example")
]
CountryCode = Annotated[str, Field(description="ISO 3166-1 alpha-2 code; SE for Sweden")]
CountryName = Annotated[str, Field(description="The country's name in the request's language")]
Place = Annotated[str, Field(description="Town, city or region of an international example")]
IsInternational = Annotated[bool, Field(description="Outside Sweden")]
Pictures = Annotated[list[PictureOut], Field(description="Its pictures, first shown first.")]
LinkList = Annotated[list[str], Field(alias="link_list")]


class OrganisationRef(Schema):
    id: int
    name: str
    slug: str


class PartnerOut(Schema):
    organisation: OrganisationRef
    role: str


class PartnerIn(Schema):
    organisation: int = Field(description="Id of the organisation asked to be a partner")
    role: str = Field(description="partner, funder or researcher")


class PartnershipOut(Schema):
    id: int
    organisation: OrganisationRef
    role: str
    status: str = Field(
        description="pending until the organisation's administrators accept, then accepted"
    )


class PersonRef(Schema):
    id: int
    name: str = Field(alias="display_name")


class EditorIn(Schema):
    user: int = Field(
        description="Id of a member of the lead organisation or of an accepted partner"
    )


class EditorOut(Schema):
    id: int
    user: PersonRef
    created_at: datetime.datetime


class MethodRef(Schema):
    id: int
    slug: str
    title: str


class InitiativeListOut(Schema):
    id: int
    slug: str
    title: str
    summary: str
    language: Language
    municipality: Kommun
    country: CountryCode
    country_name: CountryName
    place: Place
    is_international: IsInternational
    stage: TermRef
    start_date: datetime.date | None
    is_reviewed: bool
    is_featured: bool
    title_html: str | None = Field(None, description="Title with search matches in <mark>")
    snippet_html: str | None = Field(None, description="Excerpt with search matches in <mark>")


class InitiativeOut(Schema):
    id: int
    pictures: Pictures
    slug: str
    title: str
    summary: str
    language: Language
    description: str
    municipality: Kommun
    country: CountryCode
    country_name: CountryName
    place: Place
    is_international: IsInternational
    address: str
    partners: list[PartnerOut] = Field(alias="partnerships")
    methods: list[MethodRef]
    challenges: list[TermRef]
    target_groups: list[TermRef]
    sdgs: list[TermRef]
    stage: TermRef
    start_date: datetime.date | None
    end_date: datetime.date | None
    participants_reached: int | None
    results: str
    evidence: str
    contact_name: str
    contact_email: str
    links: LinkList
    is_reviewed: bool
    is_featured: bool
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class InitiativeIn(Schema):
    title: str
    summary: str
    language: str = Field("sv", description="The language of the text: sv (default) or en")
    lead_organisation: int = Field(
        description="Id of the organisation that leads it; you must be a member"
    )
    municipality: str | None = Field(
        None, description="SCB code of the kommun (required in Sweden; empty abroad)"
    )
    country: str = Field(
        "SE", description="ISO 3166-1 alpha-2 code; another than SE makes an international example"
    )
    place: str = Field("", description="Town, city or region; required outside Sweden")
    stage: str = Field(description="Code in the 'stage' vocabulary, e.g. 'test'")
    description: str = ""
    address: str = ""
    methods: list[str] = Field(default_factory=list, description="Method slugs")
    challenges: list[str] = Field(default_factory=list, description="Term codes")
    target_groups: list[str] = Field(default_factory=list, description="Term codes")
    sdgs: list[str] = Field(default_factory=list, description="Goal numbers as strings")
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    participants_reached: int | None = Field(None, ge=0)
    results: str = ""
    evidence: str = ""
    contact_name: str = ""
    contact_email: str = ""
    links: list[str] = Field(default_factory=list)


class InitiativePatch(Schema):
    title: str | None = None
    summary: str | None = None
    language: str | None = Field(None, description="The language of the text: sv or en")
    municipality: str | None = None
    country: str | None = Field(
        None, description="ISO 3166-1 alpha-2; another than SE clears the municipality"
    )
    place: str | None = None
    stage: str | None = None
    description: str | None = None
    address: str | None = None
    methods: list[str] | None = None
    challenges: list[str] | None = None
    target_groups: list[str] | None = None
    sdgs: list[str] | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    participants_reached: int | None = Field(None, ge=0)
    results: str | None = None
    evidence: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    links: list[str] | None = None
    version: int | None = Field(None, description=VERSION_DESCRIPTION)


class MethodOut(Schema):
    id: int
    pictures: Pictures
    slug: str
    title: str
    summary: str
    language: Language
    what: str
    how: str
    why: str
    requirements: str
    evidence: str
    challenges: list[TermRef]
    target_groups: list[TermRef]
    sdgs: list[TermRef]
    organisations: list[OrganisationRef]
    links: LinkList
    is_reviewed: bool
    is_featured: bool
    version: int


class MethodIn(Schema):
    title: str
    summary: str
    language: str = Field("sv", description="The language of the text: sv (default) or en")
    what: str
    how: str = ""
    why: str = ""
    requirements: str = ""
    evidence: str = ""
    challenges: list[str] = Field(default_factory=list)
    target_groups: list[str] = Field(default_factory=list)
    sdgs: list[str] = Field(default_factory=list)
    organisations: list[int] = Field(default_factory=list)
    links: list[str] = Field(default_factory=list)


class MethodPatch(Schema):
    title: str | None = None
    summary: str | None = None
    language: str | None = Field(None, description="The language of the text: sv or en")
    what: str | None = None
    how: str | None = None
    why: str | None = None
    requirements: str | None = None
    evidence: str | None = None
    challenges: list[str] | None = None
    target_groups: list[str] | None = None
    sdgs: list[str] | None = None
    organisations: list[int] | None = None
    links: list[str] | None = None
    version: int | None = Field(None, description=VERSION_DESCRIPTION)


class AdaptationIn(Schema):
    source_method: str | None = Field(None, description="Slug of the adapted method")
    source_initiative: int | None = Field(None, description="Id of the adapted initiative")
    what_changed: str
    why: str = ""


class AdaptationOut(Schema):
    id: int
    initiative_id: int
    source_method_id: int | None
    source_initiative_id: int | None
    what_changed: str
    why: str


class SimilarOut(Schema):
    initiatives: list[MethodRef]
    methods: list[MethodRef]


class SpreadOut(Schema):
    municipalities: dict[str, int]
    counties: dict[str, int]
    initiatives: list[MethodRef]
