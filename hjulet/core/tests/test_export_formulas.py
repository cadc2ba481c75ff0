"""Every CSV/XLSX export neutralises text a spreadsheet would run as a formula.

The demo content is loaded, the text of what the exports list is replaced by formula payloads
(=HYPERLINK, +, -, @SUM, tab and carriage return), and each export endpoint is downloaded and
read back: no cell may start as a formula, and the payloads must be there, neutralised.
"""

import csv
import io
import os

import pytest
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from hjulet.accounts.models import Organisation, User
from hjulet.core.models import Term
from hjulet.impact.models import (
    ChangeElement,
    Indicator,
    Measurement,
    SroiAnalysis,
    SroiInput,
    SroiOutcome,
    SroiStakeholder,
)
from hjulet.knowledge.models import Initiative
from hjulet.lib.tabular import FORMULA_START
from hjulet.support.models import FundingCall, SupportStructure
from hjulet.surveys.models import Response, Survey

pytestmark = pytest.mark.django_db

PAYLOADS = ['=HYPERLINK("http://x.se","y")', "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=2"]


def poison(model: type[models.Model], *, skip: tuple[str, ...] = ()) -> None:
    """Put a formula payload in every free-text field of every row of ``model``."""
    fields = [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, models.SlugField | models.EmailField | models.URLField)
        and not field.choices
        and not field.unique
        and field.name not in skip
        and (field.max_length or 1000) >= max(len(p) for p in PAYLOADS) + 12
    ]
    for number, pk in enumerate(model.objects.values_list("pk", flat=True)):
        model.objects.filter(pk=pk).update(
            **{
                f.name: f"{PAYLOADS[(number + i) % len(PAYLOADS)]} {pk}"
                for i, f in enumerate(fields)
            }
        )


def cells(response) -> list[str]:
    if response["Content-Type"].startswith("text/csv"):
        text = response.getvalue().decode("utf-8-sig")
        return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    found = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"a formula cell: {cell.coordinate} {cell.value}"
                if isinstance(cell.value, str):
                    found.append(cell.value)
    return found


def test_every_export_neutralises_formulas(reference_data, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "export": "100/m"}  # eleven exports
    call_command("load_demo", "--force", stdout=open(os.devnull, "w"))  # noqa: SIM115
    for model in (
        Initiative, FundingCall, SupportStructure, Organisation, SroiAnalysis, SroiInput,
        SroiOutcome, SroiStakeholder, Indicator, Measurement, ChangeElement, Term,
    ):  # fmt: skip
        poison(model, skip=("language", "languages"))
    survey = Survey.objects.filter(responses__isnull=False).distinct().first()
    text_question = survey.questions.filter(type="text").first()
    for number, response in enumerate(Response.objects.filter(survey=survey)[:6]):
        response.answers[text_question.name] = PAYLOADS[number]
        Response.objects.filter(pk=response.pk).update(answers=response.answers)

    client = Client()
    client.force_login(User.objects.get(email="koordinator@exempel.se"))
    initiative = Initiative.objects.filter(indicators__isnull=False).first()
    analysis = SroiAnalysis.objects.first()
    urls = [reverse("knowledge:initiative-export", args=[fmt]) for fmt in ("csv", "xlsx")] + [
        reverse("support:structure-export", args=[fmt]) for fmt in ("csv", "xlsx")
    ]
    urls += [
        reverse("support:call-export", args=[fmt]) + "?include_closed=on" for fmt in ("csv", "xlsx")
    ]
    urls += [reverse("surveys:export", args=[survey.slug, fmt]) for fmt in ("csv", "xlsx")]
    urls += [
        reverse("impact:totals-export"),
        reverse("impact:export", args=[initiative.slug]),
        reverse("impact:sroi-export", args=[analysis.initiative.slug, analysis.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        values = cells(response)
        live = [value for value in values if value.startswith(FORMULA_START)]
        assert not live, f"{url}: formulas not neutralised: {live[:5]}"
        neutralised = [v for v in values if v[:1] == "'" and v[1:].startswith(tuple(PAYLOADS))]
        assert neutralised, f"{url}: no payload in the export, the test checked nothing"
