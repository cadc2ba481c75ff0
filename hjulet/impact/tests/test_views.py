import io

import pytest
from openpyxl import load_workbook

from hjulet.core.models import AuditEntry
from hjulet.impact import services
from hjulet.impact.models import ChangeElement, Indicator, Measurement, SroiOutcome, TestCycle
from hjulet.knowledge.tests.factories import make_initiative

from .factories import make_analysis, make_indicator, outcome_form, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative(member):
    return make_initiative(member, title="Fritidsbanken Umeå")


@pytest.fixture
def filled(member, initiative):
    """An initiative with a step, an indicator with a measurement, a test cycle and an SROI."""
    services.element_create(actor=member, initiative=initiative, kind="activity", title="Utlåning")
    indicator = make_indicator(member, initiative)
    services.measurement_create(
        actor=member, indicator=indicator, value=130, date="2025-06-01", comment="Vårterminen"
    )
    analysis = make_analysis(member, initiative)
    services.report_update(
        actor=member, initiative=initiative, what="Fler barn rör på sig.", sroi=analysis
    )
    return {"initiative": initiative, "indicator": indicator, "analysis": analysis}


def urls(filled) -> list[str]:
    slug = filled["initiative"].slug
    base = f"/initiativ/{slug}/effekt/"
    return [
        base,
        f"{base}indikatorer/{filled['indicator'].pk}/",
        f"{base}tester/",
        f"{base}sroi/{filled['analysis'].pk}/",
        f"{base}rapport/",
    ]


def test_partner_sees_every_page_and_the_figures(as_user, member, filled):
    client = as_user(member)
    for url in urls(filled):
        response = client.get(url)
        assert response.status_code == 200, url
    sroi = client.get(urls(filled)[3]).content.decode()
    assert "1,50 : 1" in sroi  # 1 500 / 1 000
    assert 'id="sensitivity"' in sroi
    page = client.get(urls(filled)[1]).content.decode()
    assert "<svg" in page and "Vårterminen" in page  # chart and its data table
    overview = client.get(urls(filled)[0]).content.decode()
    assert "Utlåning" in overview and "<desc" in overview


@pytest.mark.parametrize("persona", [None, "outsider", "resident", "researcher"])
def test_drafts_are_private_and_published_reports_public(request, as_user, member, filled, persona):
    user = request.getfixturevalue(persona) if persona else None
    client = as_user(user)
    for url in urls(filled):
        assert client.get(url).status_code == 403, url
    publish(filled["initiative"])
    for url in urls(filled):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Lägg till" not in response.content.decode()  # no editing forms


def test_outsider_cannot_write_even_when_published(as_user, member, outsider, filled):
    publish(filled["initiative"])
    client = as_user(outsider)
    url = urls(filled)[1]
    assert client.post(url, {"value": "5", "date": "2025-05-01"}).status_code == 403
    assert (
        client.get(f"/initiativ/{filled['initiative'].slug}/effekt/indikatorer/ny/").status_code
        == 403
    )
    assert Measurement.objects.count() == 1


def test_measurement_before_baseline_shows_the_message(as_user, member, filled):
    response = as_user(member).post(urls(filled)[1], {"value": "5", "date": "2024-05-01"})
    assert response.status_code == 400
    assert "före utgångsläget" in response.content.decode()
    assert Measurement.objects.count() == 1


def test_impossible_measurement_shows_the_message_and_keeps_the_input(as_user, member, filled):
    client = as_user(member)
    response = client.post(
        urls(filled)[1], {"value": "-5", "date": "2025-07-01", "comment": "Höstterminen"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "−5 barn är inte möjligt" in html
    assert "Höstterminen" in html and 'value="-5"' in html  # what was typed is kept
    assert Measurement.objects.count() == 1
    future = client.post(urls(filled)[1], {"value": "5", "date": "2999-07-01"})
    assert future.status_code == 400 and "inte kommit än" in future.content.decode()


def test_member_builds_a_theory_of_change_in_the_editor(as_user, member, initiative):
    client = as_user(member)
    url = f"/initiativ/{initiative.slug}/effekt/forandringsteori/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"summary": "Om barn får låna utrustning rör de sig mer."})
    assert response.status_code == 302
    client.post(url, {"form": "element", "kind": "activity", "title": "Utlåning"})
    activity = ChangeElement.objects.get()
    client.post(
        url,
        {"form": "element", "kind": "output", "title": "Lån", "comes_from": [activity.pk]},
    )
    assert list(activity.leads_to.values_list("title", flat=True)) == ["Lån"]
    response = client.post(
        url,
        {
            "form": "element",
            "kind": "activity",
            "title": "Bakåt",
            "comes_from": [ChangeElement.objects.get(title="Lån").pk],
        },
    )
    assert response.status_code == 400
    assert ChangeElement.objects.count() == 2


def test_indicator_and_test_cycle_forms(as_user, member, initiative):
    client = as_user(member)
    base = f"/initiativ/{initiative.slug}/effekt/"
    response = client.post(
        base + "indikatorer/ny/",
        {
            "name": "Utlånade paket",
            "unit": "st",
            "direction": "higher",
            "baseline_value": "10",
            "baseline_date": "2025-01-01",
            "target_value": "5",
            "target_date": "2024-01-01",
            "data_source": "Registret",
        },
    )
    assert response.status_code == 400
    assert not Indicator.objects.exists()
    response = client.post(
        base + "tester/ny/",
        {
            "title": "Lördagsöppet",
            "hypothesis": "Fler lånar.",
            "tried": "Öppet lördagar.",
            "with_whom": "Familjer",
            "started_on": "2025-03-01",
            "decision": "adjust",
        },
    )
    assert response.status_code == 302
    assert TestCycle.objects.get().decision == "adjust"


def test_sroi_builder_refuses_bad_percent(as_user, member, initiative):
    analysis = make_analysis(member, initiative)
    url = f"/initiativ/{initiative.slug}/effekt/sroi/{analysis.pk}/"
    response = as_user(member).post(
        url,
        {
            "form": "outcome",
            "outcome-stakeholder": "Föräldrar",
            "outcome-name": "Mindre oro",
            "outcome-quantity": "10",
            "outcome-duration": "0",
            "outcome-proxy_value": "100",
            "outcome-proxy_source": "Enkät",
            "outcome-deadweight": "120",
            "outcome-displacement": "0",
            "outcome-attribution": "0",
            "outcome-drop_off": "0",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "mellan 0 och 100" in text and "minst ett år" in text
    assert SroiOutcome.objects.count() == 1


def test_publish_from_the_report_page(as_user, org_admin, filled, client):
    url = f"/initiativ/{filled['initiative'].slug}/effekt/rapport/publicera/"
    response = as_user(org_admin).post(url, {"publish": "1"}, follow=True)
    assert "publicerad" in response.content.decode()
    assert client.get(f"/initiativ/{filled['initiative'].slug}/effekt/rapport/").status_code == 200


def test_exports_are_xlsx_with_the_figures(as_user, member, filled, client):
    response = as_user(member).get(urls(filled)[3] + "export.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    figures = dict(workbook["Resultat"].iter_rows(values_only=True))
    assert figures["present_value"] == 1500
    assert figures["sroi_ratio"] == 1.5
    assert "Känslighet" in workbook.sheetnames
    publish(filled["initiative"])
    response = client.get("/effekt/export.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "all" and rows[1][3] == 1


def test_totals_page(client, member, filled):
    assert "Inget initiativ har publicerat" in client.get("/effekt/").content.decode()
    publish(filled["initiative"])
    page = client.get("/effekt/").content.decode()
    assert "Fritidsbanken Umeå" in page
    assert "Västerbottens län" in page


@pytest.mark.parametrize("persona", ["coordinator", "admin_user", "org_admin"])
def test_coordinators_admins_and_partners_see_drafts_and_may_edit(
    request, as_user, filled, persona
):
    client = as_user(request.getfixturevalue(persona))
    for url in urls(filled):
        assert client.get(url).status_code == 200, url
    response = client.post(urls(filled)[1], {"value": "140", "date": "2025-09-01"})
    assert response.status_code == 302
    assert Measurement.objects.count() == 2


def test_moderator_sees_neither_drafts_nor_editing(as_user, moderator, filled):
    client = as_user(moderator)
    assert client.get(urls(filled)[0]).status_code == 403
    slug = filled["initiative"].slug
    assert client.get(f"/initiativ/{slug}/effekt/forandringsteori/").status_code == 403


def test_remove_a_step_and_an_sroi_row(as_user, member, outsider, filled):
    slug = filled["initiative"].slug
    element = ChangeElement.objects.get()
    assert (
        as_user(outsider)
        .post(f"/initiativ/{slug}/effekt/forandringsteori/{element.pk}/ta-bort/")
        .status_code
        == 403
    )
    client = as_user(member)
    client.post(f"/initiativ/{slug}/effekt/forandringsteori/{element.pk}/ta-bort/")
    assert not ChangeElement.objects.exists()
    outcome = SroiOutcome.objects.get()
    analysis = filled["analysis"]
    url = f"/initiativ/{slug}/effekt/sroi/{analysis.pk}/utfall/{outcome.pk}/ta-bort/"
    assert client.post(url).status_code == 302
    assert not SroiOutcome.objects.exists()
    assert client.post(url).status_code == 404
    bad = f"/initiativ/{slug}/effekt/sroi/{analysis.pk}/annat/1/ta-bort/"
    assert client.post(bad).status_code == 404


def test_baseline_cannot_move_after_existing_measurements(as_user, member, filled):
    indicator = filled["indicator"]
    url = f"/initiativ/{filled['initiative'].slug}/effekt/indikatorer/{indicator.pk}/andra/"
    response = as_user(member).post(
        url,
        {
            "name": indicator.name,
            "unit": indicator.unit,
            "direction": "higher",
            "baseline_value": "100",
            "baseline_date": "2025-07-01",  # after the measurement of 2025-06-01
            "target_value": "200",
            "target_date": "2027-01-01",
            "data_source": "Registret",
        },
    )
    assert response.status_code == 400
    indicator.refresh_from_db()
    assert str(indicator.baseline_date) == "2025-01-01"


def test_pages_in_english_keep_swedish_content_marked(as_user, member, filled):
    client = as_user(member)
    client.post("/sprak/", {"language": "en", "next": "/"})
    page = client.get(urls(filled)[3]).content.decode()
    assert "Sensitivity analysis" in page
    assert '<th scope="row" lang="sv">Fler i arbete</th>' in page


def test_overview_query_count_does_not_grow_with_content(as_user, member, filled):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(member)
    url = urls(filled)[0]
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    before = count()
    for number in range(5):
        make_indicator(member, filled["initiative"], name=f"Indikator {number}")
        services.element_create(
            actor=member, initiative=filled["initiative"], kind="output", title=f"Steg {number}"
        )
    assert count() == before


def test_follow_up_export_lists_indicators_measurements_and_cycles(as_user, member, filled, client):
    url = f"/initiativ/{filled['initiative'].slug}/effekt/export.xlsx"
    assert client.get(url).status_code == 403  # a draft
    response = as_user(member).get(url)
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Förändringsteori", "Indikatorer", "Mätningar", "Testcykler"]
    indicators = list(workbook["Indikatorer"].iter_rows(values_only=True))
    assert indicators[1][0] == "Barn som lånar utrustning"
    # 130 on 2025-06-01; the straight line expects 100 + 100 × 151/730 = 120.7 then
    assert indicators[1][-1] == "on_track"
    measurements = list(workbook["Mätningar"].iter_rows(values_only=True))
    assert measurements[1][2:] == (130, None, "Vårterminen")


def test_edit_an_sroi_outcome(as_user, member, outsider, filled):
    outcome = SroiOutcome.objects.get()
    slug, analysis = filled["initiative"].slug, filled["analysis"]
    url = f"/initiativ/{slug}/effekt/sroi/{analysis.pk}/utfall/{outcome.pk}/andra/"
    assert as_user(outsider).get(url).status_code == 403
    client = as_user(member)
    assert client.get(url).status_code == 200
    assert client.post(url, outcome_form(attribution="-3")).status_code == 400
    assert client.post(url, outcome_form()).status_code == 302
    # deadweight 0: 2 000 + 1 000 = 3 000 against 1 000 in
    page = client.get(f"/initiativ/{slug}/effekt/sroi/{analysis.pk}/").content.decode()
    assert "3,00 : 1" in page


def test_an_analysis_id_beyond_the_databases_integers_is_a_404_page(as_user, member, filled):
    """The analysis id is compared as a foreign key, which SQLite cannot bind beyond 64 bits
    (a 500 before; ``core.middleware.IdBeyondTheDatabaseMiddleware``)."""
    outcome = SroiOutcome.objects.get()
    url = f"/initiativ/{filled['initiative'].slug}/effekt/sroi/{2**64}/utfall/{outcome.pk}/andra/"
    response = as_user(member).get(url)
    assert response.status_code == 404
    assert "<html" in response.content.decode()  # the site's 404 page


def test_double_submit_of_a_measurement_and_removing_one(as_user, member, outsider, filled):
    client = as_user(member)
    url = urls(filled)[1]
    response = client.post(url, {"value": "130", "date": "2025-06-01"})
    assert response.status_code == 400
    assert "Det finns redan en mätning" in response.content.decode()
    measurement = Measurement.objects.get()
    remove = f"{url}matning/{measurement.pk}/ta-bort/"
    assert as_user(outsider).post(remove).status_code == 403
    assert client.post(remove).status_code == 302
    assert not Measurement.objects.exists()


def test_no_payback_time_when_the_ratio_is_below_one(as_user, member, filled):
    analysis = filled["analysis"]
    services.input_create(
        actor=member, analysis=analysis, stakeholder="Kommunen", description="Lokal", value=1000
    )  # inputs 2 000 against a present value of 1 500: ratio 0,75
    client = as_user(member)
    page = client.get(urls(filled)[3]).content.decode()
    assert "0,75 : 1" in page
    assert "Ingen återbetalningstid" in page
    assert "värdet täcker ännu inte investeringen" in page
    assert "månaders återbetalningstid" not in page
    report = client.get(urls(filled)[4]).content.decode()
    assert "Värdet täcker ännu inte investeringen." in report


def test_initiative_page_links_to_the_report_when_the_viewer_may_read_it(
    as_user, member, outsider, filled
):
    page = f"/initiativ/{filled['initiative'].slug}/"
    report = f"/initiativ/{filled['initiative'].slug}/effekt/rapport/"
    for client in (as_user(None), as_user(outsider)):
        assert report not in client.get(page).content.decode()  # a draft
    draft = as_user(member).get(page).content.decode()
    assert report in draft and "utkast" in draft
    publish(filled["initiative"])
    for client in (as_user(None), as_user(outsider), as_user(member)):
        html = client.get(page).content.decode()
        assert f'href="{report}"' in html and "Läs effektrapporten" in html
    publish(filled["initiative"], publish=False)
    assert report not in as_user(None).get(page).content.decode()


def test_initiative_without_a_report_has_no_link(as_user, member, initiative):
    html = as_user(member).get(f"/initiativ/{initiative.slug}/").content.decode()
    assert 'id="impact-report-link"' not in html


def test_a_step_is_edited_with_its_arrows_and_version(as_user, member, outsider, initiative):
    activity = services.element_create(
        actor=member, initiative=initiative, kind="activity", title="Utlåning"
    )
    output = services.element_create(
        actor=member, initiative=initiative, kind="output", title="Lån"
    )
    base = f"/initiativ/{initiative.slug}/effekt/forandringsteori/"
    url = f"{base}{output.pk}/andra/"
    client = as_user(member)
    assert url in client.get(base).content.decode()  # an edit link per step
    assert as_user(outsider).get(url).status_code == 403
    form = client.get(url)
    assert form.status_code == 200 and "Lån" in form.content.decode()
    data = {
        "kind": "output",
        "title": "Utlånade prylar",
        "description": "Per termin",
        "stakeholders": "barn",
        "comes_from": [activity.pk],
        "version": "1",
    }
    assert client.post(url, data).status_code == 302
    output.refresh_from_db()
    assert (output.title, output.version) == ("Utlånade prylar", 2)
    assert list(output.comes_from.all()) == [activity]
    assert AuditEntry.objects.filter(action="theory.element_update").exists()
    stale = client.post(url, {**data, "title": "Gammal kopia"})  # version 1 again
    assert stale.status_code == 400 and "någon annan" in stale.content.decode().lower()
    backwards = client.post(url, {**data, "kind": "activity", "version": "2"})
    assert backwards.status_code == 400
    output.refresh_from_db()
    assert (output.title, output.kind, output.version) == ("Utlånade prylar", "output", 2)
