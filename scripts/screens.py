"""Screenshots of Hjulet's main pages, as the people who use them see them.

    .venv/bin/python scripts/screens.py            # every page, about six minutes
    .venv/bin/python scripts/screens.py start idea # only these pages

Builds a throwaway demo database (SQLite and uploaded files in a temporary folder: migrate,
load_reference_data, load_demo), starts the development server on a free port, signs in as
each page's persona in Chromium (Playwright, /usr/bin/chromium) and saves each page at 375 and
1280 px wide into docs/screens/ as palette PNGs, then writes docs/screens/README.md. The
server and the temporary folder are removed afterwards, also when something fails.
"""

import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screens"
WIDTHS = (375, 1280)
#: Longer pages are cut here: what matters is the top, and the files stay small.
MAX_HEIGHT = 6000
PASSWORD = "hjulet-demo-2026"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass(frozen=True)
class Screen:
    name: str
    title: str
    path: str
    persona: str | None = None  # an e-mail address of a demo account; None: not signed in
    click: str | None = None  # a button to press first (CSS selector), e.g. to start a survey


def build_database(env: dict[str, str]) -> None:
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "-v0"], ["load_reference_data"], ["load_demo"]):
        print("manage.py", *command, flush=True)
        subprocess.run(manage + command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def find_screens(env: dict[str, str]) -> list[Screen]:
    """The pages to show, with the demo objects they are about (read from the database)."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.urls import reverse

    from hjulet.accounts.models import User
    from hjulet.arenas.models import Challenge, Idea
    from hjulet.impact.models import ImpactReport
    from hjulet.knowledge.models import Method
    from hjulet.surveys import services as surveys
    from hjulet.surveys.models import Survey, SurveyStatus

    report = ImpactReport.objects.filter(is_published=True).select_related("initiative").first()
    initiative = report.initiative
    method = Method.objects.filter(pictures__isnull=False).order_by("pk").first()
    challenge = Challenge.objects.order_by("pk").first()
    idea = Idea.objects.filter(pictures__isnull=False).order_by("pk").first()
    coordinator = User.objects.get(email="koordinator@exempel.se")
    survey = Survey.objects.filter(status=SurveyStatus.OPEN).order_by("pk").first()
    # The throwaway database's survey gets an open link, so anyone can start answering.
    survey = surveys.survey_set_anonymous_link(actor=coordinator, survey=survey, enabled=True)
    resident, researcher = "invanare@exempel.se", "forskare@exempel.se"
    return [
        Screen("start", "Start page", "/"),
        Screen(
            "initiatives", "Initiatives (search and list)", reverse("knowledge:initiative-list")
        ),
        Screen(
            "initiative",
            "An initiative",
            reverse("knowledge:initiative-detail", args=[initiative.slug]),
        ),
        Screen("method", "A method", reverse("knowledge:method-detail", args=[method.slug])),
        Screen(
            "challenge",
            "A challenge (as a resident)",
            reverse("arenas:challenge-detail", args=[challenge.slug]),
            resident,
        ),
        Screen(
            "idea",
            "An idea (as a resident)",
            reverse("arenas:idea-detail", args=[idea.pk]),
            resident,
        ),
        Screen("map", "Map of initiatives", reverse("knowledge:map")),
        Screen(
            "impact-report",
            "An impact report (as a coordinator)",
            reverse("impact:report", args=[initiative.slug]),
            "koordinator@exempel.se",
        ),
        Screen(
            "survey-answer",
            "Answering a survey (open link)",
            reverse("surveys:anonymous", args=[survey.slug, survey.anonymous_key]),
            click="#start-answering",
        ),
        Screen(
            "science-shop",
            "Science shop (as a researcher)",
            reverse("scienceshop:index"),
            researcher,
        ),
        Screen("support", "Support directory", reverse("support:directory")),
        Screen("sign-in", "Sign in", reverse("accounts:login")),
        Screen("account", "My profile (as a resident)", reverse("accounts:profile"), resident),
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: int = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(1)
    raise RuntimeError(f"The server did not answer at {url}")


def compressed(png: bytes) -> bytes:
    """A palette PNG: flat interface colours survive, the file is a fraction of the size."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    buffer = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
        buffer, format="PNG", optimize=True
    )
    return buffer.getvalue()


def sign_in(page, base: str, email: str) -> None:
    page.goto(base + "/konto/logga-in/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")


def shoot(screens: list[Screen], base: str) -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width in WIDTHS:
            for screen in screens:
                context = browser.new_context(
                    viewport={"width": width, "height": 900}, locale="sv-SE"
                )
                page = context.new_page()
                if screen.persona:
                    sign_in(page, base, screen.persona)
                page.goto(base + screen.path)
                if screen.click:
                    page.click(screen.click)
                page.wait_for_load_state("networkidle")
                # Lazy pictures load as a person scrolls; a full-page shot must ask for them.
                page.evaluate(
                    "document.querySelectorAll('img[loading=lazy]')"
                    ".forEach(img => { img.loading = 'eager'; })"
                )
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(300)
                height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
                png = page.screenshot(
                    full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height}
                )
                (OUT / f"{screen.name}-{width}.png").write_bytes(compressed(png))
                print(f"{screen.name}-{width}.png", flush=True)
                context.close()
        browser.close()


def write_index(screens: list[Screen]) -> None:
    lines = [
        "# Screens",
        "",
        "What people see on Hjulet's main pages, on a phone (375 px) and a laptop (1280 px),",
        "rendered from the demo content by `.venv/bin/python scripts/screens.py` (see its",
        f"docstring). Pages longer than {MAX_HEIGHT} px are cut there.",
        "",
        "| page | as | 375 px | 1280 px |",
        "| --- | --- | --- | --- |",
    ]
    for screen in screens:
        persona = screen.persona or "visitor (not signed in)"
        lines.append(
            f"| {screen.title} (`{screen.path}`) | {persona} "
            f"| [{screen.name}-375.png]({screen.name}-375.png) "
            f"| [{screen.name}-1280.png]({screen.name}-1280.png) |"
        )
    (OUT / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(only: list[str]) -> None:
    work = Path(tempfile.mkdtemp(prefix="hjulet-screens-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'demo.sqlite3'}",
        "MEDIA_ROOT": str(work / "media"),
        "DEBUG": "1",
        "TASK_BACKEND": "immediate",
    }
    for name in ("HJULET_TESTING", "CACHE_URL"):
        env.pop(name, None)
    server = None
    try:
        build_database(env)
        screens = find_screens(env)
        port = free_port()
        log = (work / "server.log").open("w")
        server = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "runserver",
                f"127.0.0.1:{port}",
                "--noreload",
            ],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/")
        chosen = [s for s in screens if not only or s.name in only]
        shoot(chosen, base)
        if not only:
            write_index(screens)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
