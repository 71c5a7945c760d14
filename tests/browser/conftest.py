"""Fixtures for end-to-end tests: Debian's chromium driven by Playwright against a live demo server."""
import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# Playwright's sync API runs an event loop; Django must still allow the test's own DB calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    """A headless Debian chromium; CI must have it, a developer without it is told how to get it."""
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        message = f"Debian's chromium is required at {CHROMIUM}: apt-get install -y chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright  # pylint: disable=import-outside-toplevel

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page_fr(browser):
    """A page whose browser asks for French, as the programme's learners' browsers do."""
    context = browser.new_context(locale="fr-FR", extra_http_headers={"Accept-Language": "fr-FR,fr;q=0.9"},
                                  viewport={"width": 412, "height": 915})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: dialog.accept())
    page.js_errors = errors
    yield page
    context.close()


# --- pages in French, English and Arabic; axe-core; the README's screenshots ---------------------

AXE_SCRIPT = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
# The language each browser asks for (Accept-Language), as learners' browsers in each language do.
LOCALES = {"fr": ("fr-FR", "fr-FR,fr;q=0.9"), "en": ("en-US", "en-US,en;q=0.9"), "ar": ("ar", "ar,fr;q=0.5")}
PHONE = {"width": 412, "height": 915}
DESKTOP = {"width": 1100, "height": 900}
# Where the browser tests write the README's screenshots (``make screenshots``); unset: nowhere.
SCREENSHOTS = os.environ.get("PORTFOLIO_SCREENSHOTS")


@pytest.fixture
def open_page(browser):
    """Open new pages, each with its own cookies, asking for a language (and a viewport: a phone unless told)."""
    contexts = []

    def _open(language, viewport=None, **options):
        locale, accept = LOCALES[language]
        context = browser.new_context(locale=locale, extra_http_headers={"Accept-Language": accept},
                                      viewport=viewport or PHONE, **options)
        contexts.append(context)
        page = context.new_page()
        page.js_errors = []
        page.on("pageerror", lambda error: page.js_errors.append(str(error)))
        page.on("dialog", lambda dialog: dialog.accept())
        return page

    yield _open
    for context in contexts:
        context.close()


def axe_violations(page, include=None):
    """
    Run axe-core (``tests/browser/node_modules``, installed by ``make test``) on the page, or on
    the elements ``include`` selects; return its violations as (rule, impact, [targets]) tuples.
    """
    if not AXE_SCRIPT.exists():
        message = f"axe-core is missing at {AXE_SCRIPT}: run make test (npm ci --prefix tests/browser)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the browser's debugging protocol, which no Content-Security-Policy stops
        # (the export's index.html forbids scripts).
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    found = page.evaluate(
        """async (include) => {
            const result = await axe.run(include ? {include: [[include]]} : document, {resultTypes: ['violations']});
            return result.violations.map(v => [v.id, v.impact, v.nodes.map(node => node.target.join(' '))]);
        }""",
        include,
    )
    return [tuple(item) for item in found]


def screenshot(page, name, locator=None):
    """Write ``docs/screenshots/<name>.png`` when ``PORTFOLIO_SCREENSHOTS`` names the folder."""
    if not SCREENSHOTS:
        return
    Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
    target = Path(SCREENSHOTS) / f"{name}.png"
    # The whole page, clipped to the element: the workbench's fixed header stays at the top.
    box = locator.bounding_box() if locator else None
    if box:
        scroll = page.evaluate("() => [window.scrollX, window.scrollY]")
        box = {**box, "x": box["x"] + scroll[0], "y": box["y"] + scroll[1]}
    page.screenshot(path=str(target), full_page=True, **({"clip": box} if box else {}))


@pytest.fixture
def situation_to_review(make_scenario):
    """A block on a framework with a scale, where amina submitted a situation that staff decided on."""
    from tests.portfolio_xblock.test_review_handlers import (  # pylint: disable=import-outside-toplevel
        Review,
        make_framework,
    )

    framework, nodes = make_framework()
    review = Review(make_scenario(f'<portfolio display_name="Portfolio TICE" framework="{framework}"/>'), nodes)
    decided = review.submit(title="Séance de géométrie avec tablettes")
    status, body = review.decide(decided, outcome="revision_requested", feedback="Ajoutez une production d’élève.",
                                 statuses={"3.1": ("validated", "B"), "3.2": ("not_yet", "")})
    assert status == 200, body
    review.evidence = review.submit(student="bruno", title="« التعلم بالمشاريع » — projet 3.1")
    return review


@pytest.fixture
def course_portfolio():
    """Amina's portfolio in the course: a policy, validated, submitted and draft situations."""
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel

    from tests.attestation import COURSE, make_framework, record, set_programme_policy  # pylint: disable=C0415

    ids = make_framework()
    set_programme_policy(ids)
    amina = get_user_model().objects.create(username="amina")
    record(amina, ids, "3.1", title="Séance de géométrie avec tablettes")
    record(amina, ids, "6.1", title="مجلس تربوي رقمي", situation_type="training")
    record(amina, ids, "3.2", title="Atelier de programmation", decision=None)
    record(amina, ids, "6.2", title="Projet en cours", submit=False)
    return COURSE, amina
