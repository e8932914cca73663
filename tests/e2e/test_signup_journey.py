"""A new member's first visit, in a real browser: sign up, verify the email, sign in, add a credit."""

import re
import time

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

EMAIL = "rosa.delgado@example.org"
PASSWORD = "quiet-harbor-lanterns-88"
CONFIRM_LINK_RE = re.compile(r"https?://[^\s\"'<>]+/accounts/confirm-email/[^\s\"'<>]+")


def field(label: str) -> re.Pattern:
    """A form field's exact label, with or without Django's trailing colon."""
    return re.compile(rf"^{re.escape(label)}:?$")


def confirmation_link(to: str, timeout: float = 10.0) -> str:
    """The verification link from the last email sent to `to` (the live server sends it from its thread)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in reversed(mail.outbox):
            if to in message.to:
                match = CONFIRM_LINK_RE.search(message.body)
                assert match, f"no confirmation link in the email:\n{message.body}"
                return match.group(0)
        time.sleep(0.1)
    raise AssertionError(f"no email was sent to {to}; outbox: {[m.to for m in mail.outbox]}")


def test_signup_verify_login_add_credit_shows_on_dashboard(page: Page):
    page.goto("/accounts/signup/")
    page.get_by_label(re.compile(r"^email", re.IGNORECASE)).fill(EMAIL)
    page.get_by_label(re.compile(r"password:?$", re.IGNORECASE)).fill(PASSWORD)
    page.get_by_label(re.compile(r"again", re.IGNORECASE)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile(r"^(join|sign up)$", re.IGNORECASE)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile(r"check your email|verify", re.IGNORECASE))

    page.goto(confirmation_link(EMAIL))
    expect(page.get_by_role("main")).to_contain_text(EMAIL)
    page.get_by_role("button", name=re.compile(r"confirm", re.IGNORECASE)).click()

    page.goto("/accounts/login/")
    page.get_by_label(re.compile(r"^email", re.IGNORECASE)).fill(EMAIL)
    page.get_by_label(re.compile(r"^password:?$", re.IGNORECASE)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile(r"^sign in$", re.IGNORECASE)).click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    page.goto("/credits/add/")
    # Searching first, as a member would: nothing is registered yet, so the work is described below.
    page.get_by_label("Find the work").fill("The Lantern Keeper")
    expect(page.locator("#work-results")).to_contain_text("No registered work matches")
    page.get_by_label(field("Title")).fill("The Lantern Keeper")
    page.get_by_label(field("Year")).fill("2022")
    page.get_by_label(field("Type of work")).select_option(label="Feature film")
    page.get_by_label(field("Your job")).select_option(label="Principal performer")
    page.get_by_role("button", name="Save credit").click()
    expect(page.get_by_role("status").first).to_contain_text("The Lantern Keeper")

    page.goto("/dashboard/")
    credits = page.get_by_role("region", name=re.compile("My credits"))
    expect(credits).to_contain_text("The Lantern Keeper")
    expect(credits).to_contain_text("Principal performer")
