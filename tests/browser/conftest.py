"""Playwright on Debian's Chromium against Django's live server; fails on console errors and CSP violations."""

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
# Report every CSP violation as a console error, which the page fixture collects across navigations.
WATCH_CSP = """
document.addEventListener('securitypolicyviolation', e =>
  console.error('CSP blocked ' + e.blockedURI + ' (' + e.violatedDirective + ')'));
"""
SHOTS = Path(__file__).resolve().parents[2] / "var" / "test-shots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def fresh_rate_limits(django_db_setup, django_db_blocker):
    """Each test a new visitor: allauth's per-address limits (every test signs in from 127.0.0.1) start at zero."""
    from django.core.cache import cache

    with django_db_blocker.unblock():
        cache.clear()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.failed_call = report.failed


def _open_page(browser, request, viewport):
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.add_init_script(WATCH_CSP)
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.problems = problems
    yield page
    if getattr(request.node, "failed_call", False):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"{re.sub(r'[^\w.-]', '_', request.node.name)}.png", full_page=True)
    context.close()
    assert not problems, problems


@pytest.fixture
def page(browser, live_server, request):
    """A phone-sized page (390×844): the product is phone first."""
    yield from _open_page(browser, request, PHONE)


@pytest.fixture
def desktop_page(browser, live_server, request):
    yield from _open_page(browser, request, DESKTOP)


@pytest.fixture
def sign_in(live_server):
    def sign_in(page, person, password="pw-for-tests"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(person.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign In", exact=True).click()
        page.wait_for_url(re.compile(r"/today/$"))

    return sign_in
