"""Browser journeys: Playwright driving Debian's chromium against pytest-django's live server.

Playwright cannot download its own browsers here, so it launches the system
chromium. Without one, the journeys are skipped on a developer's machine and
fail in CI (CI=true), where .ci/run installs it.
"""

import os
import re
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Generous for a loaded CI machine, short enough that a missing element fails in seconds.
TIMEOUT_MS = 15_000


def running_in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"true", "1", "yes"}


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the test item, so the `page` fixture knows if the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        if running_in_ci():
            pytest.fail("chromium is not installed; in CI it must be (.ci/run installs Debian's chromium)")
        pytest.skip("browser journeys need Debian's chromium: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(
    browser: Browser, live_server, django_db_serialized_rollback, request: pytest.FixtureRequest
) -> Iterator[Page]:
    """A fresh browser context (no cookies) per test, pointed at the live server.

    The live server needs a transactional database, which is emptied after each
    test; the serialized rollback puts back what migrations loaded (the unions).
    On failure the page as it was is saved to test-artifacts/<test name>.png.
    """
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        artifacts = Path(request.config.rootpath) / "test-artifacts"
        artifacts.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        try:
            page.screenshot(path=artifacts / f"{name}.png", full_page=True)
        except PlaywrightError as error:  # a crashed page must not hide the test's own failure
            warnings.warn(f"no screenshot of {request.node.nodeid}: {error}", stacklevel=1)
    context.close()
