"""Discovery end to end: staff upload a manifest in the browser, a real Celery worker loads and
matches it, and the member finds the match on their dashboard and in their email."""

import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.factories import (
    PASSWORD,
    current_totp_code,
    enable_totp,
    make_credit,
    make_member,
    make_staff,
    make_training_set,
    make_work,
)

pytestmark = pytest.mark.e2e

MANIFEST = (
    "MovieName,MovieYear,IDMovieImdb,SeriesSeason,SeriesEpisode\n"
    '"Night Harbor, The (2019)",,,,\n'
    "An Unrelated Picture,2011,,,\n"
)


def sign_in(page: Page, email: str, totp_secret: str | None = None) -> None:
    page.goto("/accounts/login/")
    page.get_by_label(re.compile(r"^email", re.IGNORECASE)).fill(email)
    page.get_by_label(re.compile(r"^password:?$", re.IGNORECASE)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile(r"^sign in$", re.IGNORECASE)).click()
    if totp_secret:
        page.get_by_label(re.compile("code", re.IGNORECASE)).first.fill(current_totp_code(totp_secret))
        page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def mail_to(address: str, since: float, timeout: float = 30, containing: str = "") -> str:
    """The worker writes mail to files in var/mail/ (the development mailer)."""
    folder = Path(settings.VAR_DIR) / "mail"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(folder.glob("*.log")) if folder.exists() else []:
            if path.stat().st_mtime >= since:
                text = path.read_text()
                if f"To: {address}" in text and containing in text.replace("=\n", ""):
                    return text
        time.sleep(0.5)
    raise AssertionError(f"no email to {address} in {folder}")


def test_staff_upload_member_sees_match_on_dashboard_and_in_email(page: Page, browser, celery_worker_process, tmp_path):
    started = time.time()
    member = make_member(email="harbor.actor@example.org", legal_name="Ines Harbor")
    make_credit(member, make_work(title="The Night Harbor", year=2019), credited_as="Harbor Master")
    staff = make_staff(email="staff@union.example", with_mfa=False)
    secret = enable_totp(staff)
    training_set = make_training_set(name="Subtitle Corpus", developer="Acme AI")
    listing = tmp_path / "subtitles.csv"
    listing.write_text(MANIFEST)

    sign_in(page, staff.email, secret)
    page.goto(f"/training-sets/{training_set.pk}/")
    page.get_by_role("link", name="Upload a manifest").click()
    page.get_by_label(re.compile("Manifest file")).set_input_files(str(listing))
    page.get_by_role("button", name="Upload and load").click()
    progress = page.locator("#manifest-progress")
    expect(progress).to_contain_text("Current", timeout=60_000)
    expect(progress).to_contain_text("Matched against members", timeout=60_000)

    member_page = browser.new_context(base_url=page.url.split("/training")[0].split("/staff")[0]).new_page()
    sign_in(member_page, member.user.email)
    found = member_page.get_by_role("region", name=re.compile("found in AI training sets"))
    expect(found).to_contain_text("Night Harbor, The (2019)")
    expect(found).to_contain_text("Subtitle Corpus")
    found.get_by_role("button", name=re.compile("^Not mine")).click()
    expect(found).to_contain_text("Not yours")

    email = mail_to(member.user.email, since=started)
    assert "Subtitle Corpus" in email and "Night Harbor, The (2019)" in email.replace("=\n", "")
    member_page.context.close()
