"""
The learner's waits on slow links (issue 15), in Debian's chromium on a 360×740 phone viewport, the link
emulated by the Chrome DevTools Protocol (``Network.emulateNetworkConditions``), our block beside ORA2
in the same run: time until the form is usable, until a draft is saved, until a 1 MB photo is stored,
and the bytes sent to store a 5 MB file whose upload was cut off at half.
"""
import json
import os
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

try:
    from playwright.sync_api import Error as PlaywrightError
except ImportError:  # measure() says playwright is missing
    class PlaywrightError(Exception):
        """Stands for Playwright's error where Playwright is not installed."""

KB = 1024
MB = 1024 * KB
# Round-trip latency (ms) and throughput (bytes per second) of the links.
LINKS = {
    "3G": {"latency": 400, "downloadThroughput": 50 * 1000, "uploadThroughput": 20 * 1000},
    "2G": {"latency": 800, "downloadThroughput": 30 * 1000, "uploadThroughput": 10 * 1000},
}
TIMEOUT_MS = 600_000
# RequireJS, which the LMS's pages carry and the xblock-sdk workbench's do not: ORA2 loads its response
# editor through it (``window.require`` or ``window.RequireJS.require``, edx-ora2's oa_response_editor.js)
# and arms its autosave, its only way to save a draft, once the editor is loaded. Every page of the run
# gets it before its own scripts, as on the LMS (``npm ci --prefix tests/browser`` installs it).
NODE_MODULES = Path(__file__).resolve().parent.parent / "tests" / "browser" / "node_modules"
REQUIREJS = NODE_MODULES / "requirejs" / "require.js"
# jQuery UI, which the LMS's pages carry too: ORA2 builds its confirmation dialog with it on load.
JQUERY_UI = NODE_MODULES / "jquery-ui" / "dist" / "jquery-ui.min.js"
# Underscore, a global of the LMS's pages that ORA2's response step uses as the learner types.
UNDERSCORE = NODE_MODULES / "underscore" / "underscore-umd-min.js"
# What the bench says instead of ORA2's figure when those libraries are missing.
NO_REQUIREJS = (
    "not measured: ORA2 saves a draft only by its autosave, armed once its response editor is loaded "
    "through RequireJS, which the LMS page provides and the xblock-sdk workbench page does not; "
    "npm ci --prefix tests/browser installs it, with jQuery UI and Underscore, for the bench"
)
# Whether ORA2's response editor listens to the learner's typing (it binds "change keyup drop paste" with
# jQuery once RequireJS has loaded it): before that, ORA2 does not see what is typed.
ORA2_EDITOR_BOUND = """() => {
    const area = document.querySelector('.step--response textarea.submission__answer__part__text__value');
    const events = area && window.jQuery && window.jQuery._data(area, 'events');
    return Boolean(events && events.keyup);
}"""
# What ORA2's JavaScript asks for, by POST, once its page has loaded: each step of the assessment is
# rendered by a request of its own. The browser measurement lists what it really saw.
ORA2_LOAD_HANDLERS = (
    "render_submission", "render_student_training", "render_peer_assessment", "render_message",
    "render_staff_assessment", "render_self_assessment", "render_grade", "render_leaderboard",
)
ORA2_TEXT = "Séance de géométrie sur tablettes : les groupes de quatre ont bien fonctionné."


def measure(pages, log=print):
    """
    ``pages``: {"portfolio": path of our page as a learner with a draft-free form, "ora2": ORA2's page or None}.
    Returns {link: {figure: value}} or {"unavailable": reason}.
    """
    from bench.browser import with_browser  # pylint: disable=import-outside-toplevel  # once settings are configured

    return with_browser(lambda browser, base: _measure_all(browser, base, pages, log))


def _measure_all(browser, base, pages, log):
    """Every figure, each link in turn, then the cut upload."""
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        photo, large = _files(folder)
        for name, link in LINKS.items():
            figures = {"portfolio": _ours(browser, base + pages["portfolio"], link, photo)}
            if pages.get("ora2"):
                figures["ora2"] = _ora2(browser, base + pages["ora2"], link)
            results[name] = figures
            log(f"    links {name}: {figures}")
        # Bytes do not depend on the link's speed: the cut upload runs unthrottled (5 MB at 20 kB/s
        # would take minutes).
        page = _page(browser, None)
        page.goto(base + pages["portfolio"], timeout=TIMEOUT_MS)
        results["cut"] = _cut_at_half(page, _open_form(page), large)
        page.context.close()
    return results


def _files(folder):
    """A 1 MB photo (a PNG: it goes as it is, never shrunk) and a 5 MB PDF."""
    photo = os.path.join(folder, "photo.png")
    with open(photo, "wb") as handle:
        handle.write(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
                     + b"\x90wS\xde" + b"\x00" * (MB - 33))
    large = os.path.join(folder, "seance.pdf")
    with open(large, "wb") as handle:
        handle.write(b"%PDF-1.4\n" + b"0" * (5 * MB - 9))
    return photo, large


def _lms_libraries():
    """Whether the libraries the LMS's pages carry and ORA2 needs are installed (``npm ci --prefix tests/browser``)."""
    return all(path.exists() for path in (REQUIREJS, JQUERY_UI, UNDERSCORE))


def _page(browser, link):
    """A French phone page of a fresh context, on the emulated ``link``; dialogs accepted."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="fr-FR",
                                  extra_http_headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    if _lms_libraries():  # as on the LMS's pages
        context.add_init_script(_lms_page_script())
    page = context.new_page()
    page.route(lambda target: urlsplit(target).hostname != "127.0.0.1", lambda route: route.abort())
    page.on("dialog", lambda dialog: dialog.accept())
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    if link:
        cdp.send("Network.emulateNetworkConditions", {"offline": False, **link})
    return page


def _lms_page_script():
    """
    What the LMS's pages carry and ORA2 needs, as a page's init script: Underscore, jQuery UI (ORA2 builds
    its confirmation dialog with it on load), RequireJS (it loads its response editor through it, then arms
    its autosave), and the LMS's ``rewriteStaticLinks``. The libraries go in once the page's own are
    loaded, before its scripts start (the first ``DOMContentLoaded`` listener), RequireJS last: a library
    loaded with RequireJS present registers as its module instead of as the global the LMS's pages give
    (underscore's ``_``). RequireJS's globals are exported by hand (Playwright runs an init script in a
    function of its own).
    """
    return (
        "document.addEventListener('DOMContentLoaded', function () {\n"
        "  if (!window._) { (0, eval)(" + json.dumps(UNDERSCORE.read_text(encoding="utf-8")) + "); }\n"
        "  if (window.jQuery && !window.jQuery.fn.dialog) {\n"
        "    (0, eval)(" + json.dumps(JQUERY_UI.read_text(encoding="utf-8")) + ");\n"
        "  }\n"
        "  (function () {\n"
        + REQUIREJS.read_text(encoding="utf-8") +
        "\n    window.requirejs = requirejs; window.require = require; window.define = define;\n"
        "  })();\n"
        "}, {once: true});\n"
        # The LMS's pages also define this helper (openedx-platform, common/static/js/src/utility.js),
        # which ORA2 calls on its prompts before arming its autosave: here it changes nothing when told
        # nothing to change, and replaces the text it is told to otherwise.
        "window.rewriteStaticLinks = window.rewriteStaticLinks || function (content, from, to) {\n"
        "  return (from == null || to == null) ? content : content.split(from).join(to);\n"
        "};\n"
    )


def _open_form(page):
    """Open our form for a new situation, titled; return the block."""
    block = page.locator(".cpf")
    block.locator('[data-action="new"]').click()
    block.locator('input[name="title"]').fill("Séance de géométrie")
    block.locator('textarea[name="analysis"]').fill(ORA2_TEXT)
    return block


def _since(start):
    return round(time.perf_counter() - start, 2)


def _ours(browser, url, link, photo):
    """Our block: page usable, draft saved, 1 MB photo stored."""
    page = _page(browser, link)
    figures = {}
    start = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    page.wait_for_function("document.readyState === 'complete' && !!document.querySelector('.cpf [data-action=new]')",
                           timeout=TIMEOUT_MS)
    figures["usable_s"] = _since(start)
    block = _open_form(page)
    start = time.perf_counter()
    block.locator('[data-action="save"]').click()
    block.locator('[data-role="form-outcome"]:not([hidden])').wait_for(timeout=TIMEOUT_MS)
    figures["draft_saved_s"] = _since(start)
    block.locator('input[type="file"]').set_input_files(photo)
    start = time.perf_counter()
    block.locator('[data-action="save"]').click()
    block.locator('[data-role="files-outcome"]').filter(has_text="photo.png joint").wait_for(timeout=TIMEOUT_MS)
    figures["photo_stored_s"] = _since(start)
    page.context.close()
    return figures


def _cut_at_half(page, block, large):
    """Send a 5 MB file, cut the link once half of it is sent; count the bytes of every chunk request."""
    size = os.path.getsize(large)
    sent, cut = [], []

    def chunk(route):
        body = route.request.post_data_buffer or b""
        offset = int(route.request.url.rstrip("/").rsplit("/", 1)[-1].split("?")[0])
        if not cut and offset + len(body) > size // 2:
            cut.append(offset)
            sent.append(len(body) // 2)  # the link drops half-way through this chunk
            route.abort("internetdisconnected")
            return
        sent.append(len(body))
        route.continue_()

    page.route("**/upload_chunk/**", chunk)
    block.locator('input[type="file"]').set_input_files(large)
    start = time.perf_counter()
    block.locator('[data-action="save"]').click()
    block.locator('[data-role="files-outcome"]').filter(has_text="seance.pdf joint").wait_for(timeout=TIMEOUT_MS)
    return {"cut_file_bytes": size, "cut_bytes_sent": sum(sent), "cut_ratio": round(sum(sent) / size, 3),
            "cut_stored_s": _since(start)}


def _ora2(browser, url, link):
    """ORA2: page usable (its response editor shown and listening to the typing), draft saved (its autosave)."""
    page = _page(browser, link)
    figures, errors = {}, []
    page.on("pageerror", lambda error: errors.append(str(error).splitlines()[0]))
    rendered = []  # when each step its script asks for (render_submission, render_peer_assessment…) came
    page.on("response", lambda response: rendered.append(time.perf_counter()) if "/render_" in response.url else None)
    start = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    editor = page.locator(".step--response textarea.submission__answer__part__text__value").first
    editor.wait_for(timeout=TIMEOUT_MS)
    if _lms_libraries():  # usable once its response editor, loaded through RequireJS, listens to the typing
        page.wait_for_function(ORA2_EDITOR_BOUND, timeout=TIMEOUT_MS)
    ready = time.perf_counter()
    # ...and once every step has come: a step that comes later redraws the page around the editor.
    steps = len(ORA2_LOAD_HANDLERS)
    while len(rendered) < steps and time.perf_counter() - start < TIMEOUT_MS / 1000:
        page.wait_for_timeout(100)
    figures["usable_s"] = round(max([ready, *rendered[:steps]]) - start, 2)
    # ORA2's response step has no save button: it saves a draft by its autosave alone (every 2 s, once 2 s
    # passed without a change of its editor), which it arms after loading its response editor through
    # RequireJS (``window.require``, or ``window.RequireJS.require`` as the LMS page provides it).
    # A text of its own on each link: the same learner's draft saved on the link before must not match it.
    editor.fill(f"{ORA2_TEXT} ({link['latency']} ms)" if link else ORA2_TEXT)
    if not page.evaluate("() => Boolean(window.require || window.RequireJS)"):
        seen = "; ".join(dict.fromkeys(errors))
        figures["draft_saved_error"] = NO_REQUIREJS + (f" (its script's errors: {seen})" if seen else "")
        page.context.close()
        return figures
    start = time.perf_counter()
    editor.dispatch_event("keyup")
    try:
        page.wait_for_event("response", lambda response: "save_submission" in response.url, timeout=120_000)
        figures["draft_saved_s"] = _since(start)
        figures["draft_saved_note"] = "autosave"
    except PlaywrightError as error:  # ORA2's markup or script changed: say so, keep the other figures
        figures["draft_saved_error"] = str(error).splitlines()[0]
    figures["photo_stored_s"] = None  # the benchmark's ORA2 block takes text only (file_upload_response="none")
    page.context.close()
    return figures


def table(run):
    """The report's table: each link, our block beside ORA2."""
    links = run.get("links")
    if not links:
        return "Slow links: not measured (--no-browser)"
    if "unavailable" in links:
        return f"Slow links: not measured ({links['unavailable']})"

    def cell(figures, key, unit=" s"):
        value = (figures or {}).get(key)
        return "–" if value is None else f"{value}{unit}"

    lines = ["| link | figure | portfolio | ORA2 |", "|---|---|---|---|"]
    for name in LINKS:
        figures = links.get(name, {})
        ours, ora2 = figures.get("portfolio"), figures.get("ora2")
        lines.append(f"| {name} | form usable | {cell(ours, 'usable_s')} | {cell(ora2, 'usable_s')} |")
        ora2_saved = cell(ora2, "draft_saved_s") + (" (its autosave)" if (ora2 or {}).get("draft_saved_note") else "")
        lines.append(f"| {name} | draft saved | {cell(ours, 'draft_saved_s')} | {ora2_saved} |")
        lines.append(f"| {name} | 1 MB photo stored | {cell(ours, 'photo_stored_s')} | "
                     f"{cell(ora2, 'photo_stored_s')} |")
    reasons = sorted({(figures.get("ora2") or {}).get("draft_saved_error") for figures in map(links.get, LINKS)
                      if figures} - {None})
    lines.extend(f"\nORA2's draft saved: {reason}." for reason in reasons)
    cut = links.get("cut")
    if cut:
        lines.append(f"| any | bytes sent to store a 5 MB file cut at half (target ≤ 1.1×) | "
                     f"{cut['cut_bytes_sent'] / MB:.2f} MB ({cut['cut_ratio']}×) | – |")
    return "\n".join(lines)
