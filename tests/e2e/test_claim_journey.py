"""A claim from start to decision in real browsers, with a real Celery worker sending the emails:
the member claims a found work and uploads evidence, the verifier asks for information, the
member answers, the verifier verifies, and the member sees "Verified" and has the emails."""

import re
import time

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_discovery_journey import mail_to, sign_in
from tests.factories import (
    enable_totp,
    load_manifest,
    make_credit,
    make_member,
    make_training_set,
    make_union_membership,
    make_verifier,
    make_work,
)

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_member_claims_verifier_asks_member_answers_verifier_verifies(
    page: Page, browser, live_server, celery_worker_process, tmp_path
):
    started = time.time()
    member = make_member(email="claimant@example.org", legal_name="Rosa Delgado")
    make_union_membership(member, "SAG-AFTRA", "SAG-777")
    make_credit(member, make_work(title="The Night Harbor", year=2019), credited_as="Harbor Master")
    load_manifest(make_training_set(name="Subtitle Corpus"), 'title,year\n"Night Harbor, The (2019)",\n')
    verifier = make_verifier(email="checker@union.example", unions=["SAG-AFTRA"], with_mfa=False)
    secret = enable_totp(verifier)
    contract = tmp_path / "deal-memo.pdf"
    contract.write_bytes(PDF)

    # The member claims the found work in one click and uploads a deal memo.
    sign_in(page, member.user.email)
    page.get_by_role("button", name=re.compile("^Claim this")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("CL-")
    page.get_by_role("button", name="Submit claim").click()
    expect(page.get_by_role("main")).to_contain_text("Submitted")
    page.get_by_label("What is it?").select_option(label="Contract or deal memo")
    page.get_by_label(re.compile("^File:?$")).set_input_files(str(contract))
    page.get_by_role("button", name="Add file").click()
    expect(page.get_by_role("main")).to_contain_text("deal-memo.pdf")
    claim_url = page.url

    # The verifier takes it and asks for a call sheet.
    staff = browser.new_context(base_url=live_server.url).new_page()
    sign_in(staff, verifier.email, secret)
    staff.goto("/staff/claims/")
    staff.get_by_role("link", name=re.compile("CL-")).first.click()
    expect(staff.get_by_role("main")).to_contain_text("deal-memo.pdf")
    staff.get_by_role("button", name="Take this claim").click()
    staff.get_by_label("What should the member send?").fill("Please add the call sheet for your first day.")
    staff.get_by_role("button", name="Ask the member for information").click()
    expect(staff.get_by_role("main")).to_contain_text("Needs information")

    # The member answers, with the call sheet.
    page.goto(claim_url)
    expect(page.get_by_role("main")).to_contain_text("Please add the call sheet")
    page.get_by_label("Your answer").fill("Here is the call sheet from 12 March.")
    page.get_by_label(re.compile("^Files")).set_input_files(str(contract))
    page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_role("main")).to_contain_text("In review")

    # The verifier sees the answer and verifies.
    staff.reload()
    expect(staff.get_by_role("main")).to_contain_text("Here is the call sheet from 12 March.")
    staff.get_by_role("button", name="Verify", exact=True).click()
    expect(staff.get_by_role("main")).to_contain_text("Verified")

    page.goto(claim_url)
    expect(page.get_by_role("main")).to_contain_text("Verified")
    timeline = page.get_by_role("main").inner_text()
    assert "Union staff" in timeline and verifier.email not in timeline

    asked = mail_to(member.user.email, since=started, containing="needs more information")
    assert "Please add the call sheet" in asked.replace("=\n", "")
    mail_to(member.user.email, since=started, containing="is verified")
    staff.context.close()
