"""
What a learner's browser fetches after a page's first response, counted in Debian's chromium
(driven by Playwright) against a live server in this process, on the benchmark's database.
"""
import os
from urllib.parse import urlsplit

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.test.testcases import LiveServerThread

from bench import middleware

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DATA_TYPES = ("xhr", "fetch", "eventsource", "websocket")


def page_loads(pages):
    """
    Load each page ({name: path}) in a fresh browser context and wait until the network is idle.

    Returns {name: figures} (requests after the document, split into data requests — XHR/fetch,
    which a block needs answered before it is usable — and files; server-side queries of every
    request the load caused), or {"unavailable": reason}.
    """
    return with_browser(lambda browser, base: {name: _load(browser, base + path) for name, path in pages.items()})


def with_browser(measure):
    """
    Return ``measure(browser, base)``: Debian's chromium, and the base URL of a live server of this
    process on the benchmark's database; or {"unavailable": reason} when chromium cannot be driven.
    """
    try:
        from playwright.sync_api import Error, sync_playwright  # pylint: disable=import-outside-toplevel
    except ImportError as error:
        return {"unavailable": f"playwright is not installed ({error})"}
    if not os.path.exists(CHROMIUM):
        return {"unavailable": f"{CHROMIUM} is missing (apt-get install chromium)"}
    # Static files through the finders, as runserver (and StaticLiveServerTestCase) serve them.
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return measure(browser, f"http://127.0.0.1:{server.port}")
            finally:
                browser.close()
    except Error as error:
        return {"unavailable": f"chromium could not be driven ({str(error).splitlines()[0]})"}
    finally:
        server.terminate()


def _load(browser, url):
    """Load ``url`` twice (the first warms the server up) and describe the second load."""
    _load_once(browser, url)
    return _load_once(browser, url)


def _load_once(browser, url):
    """Load ``url`` in a fresh context until the network is quiet; describe what was requested."""
    context = browser.new_context()
    page = context.new_page()
    requests, errors, external, pending = [], [], [], set()

    def refuse(route):
        # Nothing leaves the machine: a request elsewhere (ORA2 adds Hotjar's script) is counted, then
        # refused. (Playwright also passes the request to a handler that accepts two arguments.)
        external.append(route.request.url)
        route.abort()

    def sent(request):
        requests.append(request)
        pending.add(request)

    def done(request):
        pending.discard(request)

    page.route(lambda target: urlsplit(target).hostname != "127.0.0.1", refuse)
    page.on("request", sent)
    page.on("requestfinished", done)
    page.on("requestfailed", done)
    page.on("pageerror", lambda error: errors.append(str(error)))
    middleware.start_recording()
    page.goto(url, wait_until="load")
    _wait_until_quiet(page, pending)
    served = middleware.stop_recording()
    context.close()
    followers = requests[1:]
    data = [request for request in followers if request.resource_type in DATA_TYPES]
    return {
        "data_requests": len(data),
        "data_paths": [f"{request.method} {urlsplit(request.url).path}" for request in data],
        "file_requests": len(followers) - len(data),
        "external_requests": len(external),
        "queries_all_requests": sum(row[3] for row in served),
        "server_requests": len(served),
        "page_errors": errors,
    }


def _wait_until_quiet(page, pending, quiet_ms=700, limit_ms=15_000):
    """Wait until no request has been in flight for ``quiet_ms`` (at most ``limit_ms``)."""
    quiet = waited = 0
    while quiet < quiet_ms and waited < limit_ms:
        page.wait_for_timeout(100)
        waited += 100
        quiet = 0 if pending else quiet + 100
