"""Every initiative and method carries its language: chosen in the form and the API, told
from the text on import when the file has no language column, used by search (English
texts are stemmed in English) and marked on the pages with ``lang``."""

import pytest
from django.urls import reverse

from hjulet.core import search
from hjulet.knowledge.models import Initiative

from .factories import commit_import, make_initiative, make_method, prepare_import
from .test_import import SWEDISH_HEADER, csv_file, swedish_rows

pytestmark = pytest.mark.django_db


def test_initiatives_are_swedish_unless_said_otherwise(member):
    assert make_initiative(member).language == "sv"


def test_an_english_initiative_is_found_by_english_words_and_marked_on_its_page(client, member):
    initiative = make_initiative(
        member,
        title="Walking football for older people",
        summary="Older people play football at walking pace every week.",
        language="en",
    )
    hits = search.search("walking footballs", kinds=["initiative"])
    assert [hit.pk for hit in hits] == [initiative.pk]
    # "older" is stemmed in English ("older"), "people" to "peopl": found by "peoples".
    assert [hit.pk for hit in search.search("peoples", kinds=["initiative"])] == [initiative.pk]
    page = client.get(reverse("knowledge:initiative-detail", args=[initiative.slug]))
    assert '<h1 lang="en">Walking football for older people</h1>' in page.content.decode()


def test_a_method_page_marks_its_language(client, member):
    method = make_method(member, title="Language café", summary="Talk in Swedish.", language="en")
    page = client.get(reverse("knowledge:method-detail", args=[method.slug]))
    assert '<h1 lang="en">Language café</h1>' in page.content.decode()


def test_an_unknown_language_is_refused(member):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        make_initiative(member, language="de")
    assert "language" in refused.value.message_dict


def test_the_import_tells_the_language_from_the_text_when_there_is_no_column(member, organisation):
    rows = [
        *swedish_rows(),
        ["Homework help for the pupils of the town", "Students help pupils with their homework "
         "after school and at the library.", "Umeå", "test", "", "", "", "", ""],
    ]  # fmt: skip
    commit_import(member, prepare_import(member, organisation, csv_file(rows)))
    languages = dict(Initiative.objects.values_list("title", "language"))
    assert languages["Homework help for the pupils of the town"] == "en"
    assert languages["Språkcafé på biblioteket"] == "sv"
    assert languages["Fritidsbanken Kalix"] == "sv"


def test_the_import_reads_a_language_column_and_refuses_an_unknown_one(member, organisation):
    rows = [
        [*SWEDISH_HEADER, "Språk"],
        ["Läxhjälp", "Frivilliga hjälper barn.", "Umeå", "test", "", "", "", "", "", "engelska"],
        ["Fika", "Öppen fika.", "Umeå", "test", "", "", "", "", "", "tyska"],
    ]
    batch = prepare_import(member, organisation, csv_file(rows))
    assert batch.error_count == 1
    (error,) = [error for row in batch.report for error in row["errors"]]
    assert "column “Språk”: The language “tyska” is unknown" in error["text"]
    assert batch.report[0]["errors"] == []
