import datetime

from ninja import Schema
from pydantic import Field

VERSION_DESCRIPTION = (
    "Required (or the If-Match header): the version you edited, from the object's GET. "
    "Without either the answer is 428; a stale one is refused with 409 and nothing changes."
)


class CountyOut(Schema):
    code: str = Field(description="SCB code, two digits")
    name: str
    short_name: str


class CountyDetailOut(CountyOut):
    svg_path: str = Field(description="Boundary as an SVG path in the view box of /map")


class MunicipalityOut(Schema):
    code: str = Field(description="SCB code, four digits")
    name: str
    county_code: str = Field(alias="county_id")


class MunicipalityDetailOut(MunicipalityOut):
    svg_path: str


class MapOut(Schema):
    view_box: str
    projection: str


class VocabularyOut(Schema):
    slug: str
    name_sv: str
    name_en: str
    name: str = Field(description="Name in the language of the request")


class TermOut(Schema):
    id: int
    vocabulary: str = Field(alias="vocabulary.slug")
    code: str
    label_sv: str
    label_en: str
    label: str = Field(description="Label in the language of the request")
    description_sv: str
    description_en: str
    position: int
    is_active: bool
    version: int


class TermIn(Schema):
    code: str
    label_sv: str
    label_en: str
    description_sv: str = ""
    description_en: str = ""
    position: int = 0
    is_active: bool = True


class TermPatch(Schema):
    code: str | None = None
    label_sv: str | None = None
    label_en: str | None = None
    description_sv: str | None = None
    description_en: str | None = None
    position: int | None = None
    is_active: bool | None = None
    version: int | None = Field(None, description=VERSION_DESCRIPTION)


class SearchSynonymOut(Schema):
    id: int
    words: list[str] = Field(alias="word_list", description="Words search treats as one")
    note: str
    version: int


class SearchSynonymIn(Schema):
    words: str = Field(description="Words that mean about the same, separated by commas")
    note: str = ""


class SearchSynonymPatch(Schema):
    words: str | None = Field(None, description="Words separated by commas")
    note: str | None = None
    version: int | None = Field(None, description=VERSION_DESCRIPTION)


class NotificationOut(Schema):
    id: int
    text: str
    url: str = Field(description="Where it leads on the site (a path)")
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class UnreadCountOut(Schema):
    unread: int


class MarkedReadOut(Schema):
    marked: int = Field(description="How many notifications were unread and are now read")


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


#: The error answers an endpoint that checks input, sign-in, rights and existence declares.
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class SiteSearchHitOut(Schema):
    kind: str = Field(description="The kind's code, e.g. `initiative`, `funding_call`.")
    kind_label: str
    id: int
    title: str = Field(description="Plain text.")
    title_html: str = Field(description="Escaped HTML; the matching words in `<mark>`.")
    url: str = Field(description="The page on Hjulet (a path on this site).")
    snippet: str = Field(description="Plain text: about 30 words around the first match.")
    snippet_html: str = Field(description="The same snippet as escaped HTML with `<mark>`.")
    context: str = Field(description="A short line: place, organisation, date or status.")


class SiteSearchKindCountOut(Schema):
    kind: str
    label: str
    label_plural: str
    count: int


class SiteSearchOut(Schema):
    query: str
    kind: str = Field(description="The kind filter applied, or empty for every kind.")
    total: int = Field(description="Hits in the chosen kind (or in all).")
    total_all: int = Field(description="Hits over every kind.")
    capped: bool = Field(
        description="The engine returned its maximum (1,000 hits): the counts are lower bounds."
    )
    page: int
    pages: int
    per_page: int
    counts: list[SiteSearchKindCountOut]
    hits: list[SiteSearchHitOut]


class PictureSizeOut(Schema):
    width: int
    height: int
    url: str = Field(description="A path on this site; WebP.")


class PictureOut(Schema):
    id: str = Field(alias="token", description="Changes when the picture is replaced.")
    alt_text: str = Field(description="What the picture shows; empty for a decorative one.")
    is_decorative: bool
    width: int
    height: int
    sizes: list[PictureSizeOut] = Field(description="The widths it is offered in, smallest first.")

    @staticmethod
    def resolve_sizes(obj) -> list[dict]:
        return [
            {"width": r["width"], "height": r["height"], "url": obj.url(r["width"])}
            for r in obj.renditions
        ]
