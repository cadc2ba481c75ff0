"""Every main page of every capability in a real browser, as anonymous and as a coordinator,
and in English after the language switch: no serious or critical axe-core problem, <html
lang> as chosen, one <h1>, and headings that never skip a level.

The pages are every top-level navigation page and each capability's list, detail and form
pages, plus log-in, sign-up and the profile (API docs left out), filled with the demo
content (manage.py load_demo) so lists and details show real data. One test per persona
walks all pages and reports every problem at once, so a slow page set-up is paid once.
"""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from hjulet.accounts.models import Organisation, User
from hjulet.arenas.models import Arena, Challenge, Idea
from hjulet.impact.models import Indicator, SroiAnalysis
from hjulet.knowledge.models import Initiative, Method
from hjulet.scienceshop.models import Outcome, Question
from hjulet.support.models import AdviceRequest, FundingCall, SupportStructure
from hjulet.surveys.models import Report, Survey

from .browser_fixtures import AXE_TAGS, CHROMIUM, load_axe, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]

# Pages anyone may open.
PUBLIC = [
    "/",
    "/karta/",
    "/karta/lan/24/",
    "/vokabular/",
    "/konto/registrera/",
    "/konto/logga-in/",
    "/konto/e-postlank/",
    "/konto/glomt-losenord/",
    "/organisationer/",
    "{organisation}",
    "/initiativ/",
    "{initiative}",
    "/metoder/",
    "{method}",
    "/kunskapsbank/karta/",
    "/forskarverkstad/",
    "/forskarverkstad/kunskap/",
    "{summary}",
    "/effekt/",
    "/stod/",
    "{structure}",
    "/utlysningar/",
    "{call}",
    "/enkater/rapport/{report}/",
    "/arenor/",
    "/arenor/{arena}/",
    "/utmaningar/",
    "/utmaningar/{challenge}/",
    "/utmaningar/ide/{idea}/",
]

# Pages that send a signed-in person on to their profile.
ANONYMOUS_ONLY = {"/konto/registrera/", "/konto/logga-in/", "/konto/e-postlank/"}

# Pages for signed-in people; a coordinator may open them all. (The moderation queue is for
# moderators: arenas/tests/test_browser.py checks it.)
SIGNED_IN = [
    "/konto/profil/",
    "/konto/visningsnamn/",
    "/konto/byt-losenord/",
    "/granskningslogg/",
    "/organisationer/ny/",
    "/initiativ/nytt/",
    "/initiativ/import/",
    "{initiative}andra/",
    "/metoder/ny/",
    "{method}andra/",
    "/forskarverkstad/fragor/",
    "/forskarverkstad/fragor/{question}/",
    "/forskarverkstad/oversikt/",
    "{initiative}effekt/",
    "{initiative}effekt/forandringsteori/",
    "{initiative}effekt/indikatorer/{indicator}/",
    "{initiative}effekt/tester/",
    "{initiative}effekt/sroi/{sroi}/",
    "{initiative}effekt/rapport/",
    "{initiative}effekt/rapport/andra/",
    "/stod/ny/",
    "/utlysningar/ny/",
    "/radgivning/",
    "/radgivning/fraga/",
    "/radgivning/{advice}/",
    "/enkater/",
    "/enkater/ny/",
    "/enkater/import/",
    "/enkater/{survey}/",
    "/enkater/{survey}/resultat/",
    "/enkater/{survey}/utskick/",
    "/enkater/{survey}/kodning/",
    "/enkater/{survey}/rapporter/ny/",
    "/enkater/rapport/{report}/redigera/",
    "/utmaningar/ny/",
    "/aviseringar/",
    "/utmaningar/{challenge}/evenemang/",
    "/arenor/{arena}/overenskommelse/",
]

CHECKS_JS = """
() => {
    const visible = e => !e.closest('[hidden]') && getComputedStyle(e).display !== 'none';
    const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter(visible);
    const levels = headings.map(h => Number(h.tagName[1]));
    const skips = [];
    levels.forEach((level, i) => {
        const before = i ? levels[i - 1] : 0;
        if (level > before + 1) {
            const text = headings[i].textContent.trim().slice(0, 40);
            skips.push(`h${before || '-'} → h${level} "${text}"`);
        }
    });
    return {
        lang: document.documentElement.lang,
        h1: levels.filter(l => l === 1).length,
        skips,
    };
}
"""


def demo_values() -> dict[str, str]:
    call_command("load_demo", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115
    initiative = Initiative.objects.filter(impact_report__is_published=True).first()
    initiative = initiative or Indicator.objects.first().initiative
    summary = Outcome.objects.filter(kind="summary").first()
    return {
        "organisation": f"/organisationer/{Organisation.objects.first().slug}/",
        "initiative": f"/initiativ/{initiative.slug}/",
        "method": f"/metoder/{Method.objects.first().slug}/",
        "summary": f"/forskarverkstad/kunskap/{summary.pk}/",
        "question": str(Question.objects.first().pk),
        "indicator": str(Indicator.objects.filter(initiative=initiative).first().pk),
        "sroi": str(SroiAnalysis.objects.filter(initiative=initiative).first().pk),
        "structure": f"/stod/{SupportStructure.objects.first().organisation.slug}/",
        "call": f"/utlysningar/{FundingCall.objects.first().slug}/",
        "advice": str(AdviceRequest.objects.first().pk),
        "survey": Survey.objects.first().slug,
        "report": Report.objects.filter(is_published=True).first().slug,
        "arena": Arena.objects.first().slug,
        "challenge": Challenge.objects.first().slug,
        "idea": str(Idea.objects.filter(is_hidden=False).first().pk),
    }


def problems_on(page, url: str, lang: str) -> list[str]:
    response = page.goto(url)
    path = urlsplit(url).path
    if response.status != 200 or urlsplit(page.url).path != path:
        return [f"answered {response.status} at {page.url}"]
    found = []
    result = page.evaluate(CHECKS_JS)
    if result["lang"] != lang:
        found.append(f'<html lang="{result["lang"]}">, expected {lang}')
    if result["h1"] != 1:
        found.append(f"{result['h1']} <h1> elements")
    found += [f"skipped heading level: {skip}" for skip in result["skips"]]
    load_axe(page)
    violations = page.evaluate(
        "async tags => (await axe.run(document, {runOnly: tags})).violations", AXE_TAGS
    )
    for violation in violations:
        if violation["impact"] in ("serious", "critical"):
            first = ", ".join(violation["nodes"][0]["target"])
            found.append(
                f"axe {violation['id']} ({violation['impact']}): {violation['help']}; "
                f"{len(violation['nodes'])} element(s), first {first}"
            )
    return found


@pytest.mark.parametrize("persona", ["anonymous", "coordinator", "anonymous-en"])
def test_every_main_page(reference_data, live_server, context, page, persona):
    page.set_default_timeout(30_000)
    values = demo_values()
    if persona.startswith("anonymous"):
        paths = PUBLIC
    else:
        paths = [path for path in PUBLIC if path not in ANONYMOUS_ONLY] + SIGNED_IN
    if persona == "coordinator":
        log_in(context, live_server, User.objects.get(email="koordinator@exempel.se"))
    lang = "sv"
    if persona == "anonymous-en":
        page.goto(live_server.url + "/")
        with page.expect_navigation():
            page.locator("header button[name=language][value=en]").click()
        lang = "en"
    report = {}
    for template in paths:
        path = template.format(**values)
        found = problems_on(page, live_server.url + path, lang)
        if found:
            report[path] = found
    assert not report, f"{len(report)} of {len(paths)} pages as {persona}:\n" + "\n".join(
        f"{path}\n  " + "\n  ".join(found) for path, found in report.items()
    )
