"""allauth's account pages in our layout and words: sign in, join, passwords, two-step sign-in.

allauth does the work; these tests check what a member sees and receives: our header and skip
link on every page, plain headings, the emails, no account enumeration on password reset, the
second sign-in step for accounts with an authenticator app, and that every page keeps to our
Content Security Policy (no inline styles, inline scripts only with the page's nonce).
"""

import re
from html import unescape

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, current_totp_code, enable_totp, make_member, make_staff

pytestmark = pytest.mark.django_db

H1_RE = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
CONFIRM_LINK_RE = re.compile(r"http://testserver/accounts/confirm-email/[^\s]+/")
RESET_LINK_RE = re.compile(r"http://testserver/accounts/password/reset/key/[^\s]+/")
SCRIPT_TAG_RE = re.compile(r"<script\b([^>]*)>", re.S)
NONCE_RE = re.compile(r"'nonce-([^']+)'")


def heading(response) -> str:
    """The page's h1 as a person reads it (tags and extra spaces removed)."""
    match = H1_RE.search(response.content.decode())
    assert match, "page has no h1"
    return " ".join(unescape(re.sub(r"<[^>]+>", "", match.group(1))).split())


def assert_in_our_layout(response) -> None:
    content = response.content.decode()
    assert response.status_code == 200
    assert "Residuals portal" in content
    assert '<a class="skip-link" href="#main">' in content
    assert '<main id="main"' in content
    assert "css/accounts.css" in content


def assert_keeps_to_csp(response) -> None:
    """No inline styles; a script is one of our files, a JSON data block, or carries the nonce."""
    content = response.content.decode()
    policy = response.headers["Content-Security-Policy"]
    assert "style-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert 'style="' not in content and "<style" not in content
    nonces = NONCE_RE.findall(policy)
    for attrs in SCRIPT_TAG_RE.findall(content):
        if "src=" in attrs or 'type="application/json"' in attrs:
            continue
        nonce = re.search(r'nonce="([^"]+)"', attrs)
        assert nonce and nonce.group(1) in nonces, f"script without the nonce: <script{attrs}>"


def without_tokens(response) -> str:
    """Page HTML minus what differs on every request anyway (CSP nonce, CSRF token)."""
    content = re.sub(r'nonce="[^"]*"', "", response.content.decode())
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", content)


def sign_in(client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


# --- Every page in our layout, with plain headings --------------------------------------------


@pytest.mark.parametrize(
    "url_name, expected_heading",
    [
        ("account_login", "Sign in"),
        ("account_signup", "Join the portal"),
        ("account_reset_password", "Reset your password"),
        ("account_reset_password_done", "Check your email"),
        ("account_email_verification_sent", "Check your email"),
    ],
)
def test_entrance_page_uses_our_layout_and_plain_heading(client, url_name, expected_heading):
    response = client.get(reverse(url_name))
    assert_in_our_layout(response)
    assert heading(response) == expected_heading
    assert 'class="layout-entrance"' in response.content.decode()
    assert_keeps_to_csp(response)


@pytest.mark.parametrize(
    "url_name, expected_heading",
    [
        ("account_email", "Your email address"),
        ("account_change_password", "Change your password"),
        ("account_logout", "Sign out"),
        ("mfa_index", "Two-step sign-in"),
        ("mfa_activate_totp", "Set up an authenticator app"),
        ("mfa_list_webauthn", "Your passkeys and security keys"),
        ("mfa_add_webauthn", "Add a passkey"),
        ("members:account_security", "Sign-in & security"),
    ],
)
def test_account_page_uses_our_layout_and_plain_heading(signed_in_client, url_name, expected_heading):
    response = signed_in_client.get(reverse(url_name))
    assert_in_our_layout(response)
    assert heading(response) == expected_heading
    assert_keeps_to_csp(response)


@pytest.fixture
def member_with_keys(member):
    """Authenticator app, backup codes and one passkey row (stored the way allauth stores one)."""
    enable_totp(member.user)
    RecoveryCodes.activate(member.user)
    Authenticator.objects.create(
        user=member.user,
        type=Authenticator.Type.WEBAUTHN,
        data={
            "name": "My phone",
            "credential": {"clientExtensionResults": {"credProps": {"rk": True}}},
        },
    )
    return member


def test_two_step_pages_for_member_with_app_codes_and_passkey(signed_in_client, member_with_keys):
    passkey = Authenticator.objects.get(user=member_with_keys.user, type=Authenticator.Type.WEBAUTHN)
    for url, expected_heading in [
        (reverse("mfa_index"), "Two-step sign-in"),
        (reverse("mfa_deactivate_totp"), "Remove your authenticator app?"),
        (reverse("mfa_view_recovery_codes"), "Your backup codes"),
        (reverse("mfa_generate_recovery_codes"), "Make new backup codes?"),
        (reverse("mfa_list_webauthn"), "Your passkeys and security keys"),
        (reverse("mfa_edit_webauthn", kwargs={"pk": passkey.pk}), "Rename passkey"),
        (reverse("mfa_remove_webauthn", kwargs={"pk": passkey.pk}), "Remove “My phone”?"),
    ]:
        response = signed_in_client.get(url)
        assert_in_our_layout(response)
        assert heading(response) == expected_heading, url
        assert_keeps_to_csp(response)
    index = signed_in_client.get(reverse("mfa_index")).content.decode()
    assert "10 left" in index and "1 added" in index
    codes = signed_in_client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert len(re.findall(r"<li>\d{8}</li>", codes)) == 10


def test_account_pages_link_back_to_sign_in_and_security(signed_in_client):
    content = signed_in_client.get(reverse("mfa_index")).content.decode()
    assert f'href="{reverse("members:account_security")}"' in content


def test_account_page_requires_sign_in(client):
    response = client.get(reverse("members:account_security"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_sensitive_page_asks_to_confirm_password_after_a_remembered_sign_in(client, member):
    client.force_login(member.user)  # a session with no recent password entry
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    assert_in_our_layout(response)
    assert heading(response) == "Confirm it’s you"
    assert "Your password" in response.content.decode()


def test_totp_setup_page_shows_qr_code_and_key_without_inline_styles(signed_in_client):
    response = signed_in_client.get(reverse("mfa_activate_totp"))
    content = response.content.decode()
    assert 'src="data:image/svg+xml;base64,' in content
    assert 'id="authenticator_secret"' in content
    assert "Turn on two-step sign-in" in content


# --- Sign-in & security page ------------------------------------------------------------------


def test_account_security_shows_email_password_and_two_step_status(signed_in_client, member):
    response = signed_in_client.get(reverse("members:account_security"))
    content = response.content.decode()
    assert member.user.email in content
    for url_name in ("account_email", "account_change_password", "mfa_index", "mfa_list_webauthn", "account_logout"):
        assert f'"{reverse(url_name)}"' in content, url_name
    assert "Turn on two-step sign-in" in content
    assert "Union staff must have two-step sign-in on" not in content


def test_account_security_tells_staff_without_two_step_to_turn_it_on(client):
    staff = make_staff(email="new.staff@union.example", with_mfa=False)
    client.force_login(staff)
    content = client.get(reverse("members:account_security")).content.decode()
    assert "Union staff must have two-step sign-in on" in content


def test_account_security_shows_two_step_on(client):
    staff = make_staff(email="staff@union.example", with_mfa=True)
    client.force_login(staff)
    content = client.get(reverse("members:account_security")).content.decode()
    assert "Manage two-step sign-in" in content
    assert "Union staff must have two-step sign-in on" not in content


# --- Joining: email, confirmation, first sign-in ----------------------------------------------


def test_signup_sends_confirmation_email_and_confirmed_member_can_sign_in(client):
    email = "rosa.delgado@example.org"
    response = client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": "quiet-harbor-lanterns-88",
            "password2": "quiet-harbor-lanterns-88",
        },
        follow=True,
    )
    assert heading(response) == "Check your email"

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [email]
    assert message.subject == "[Residuals portal] Confirm your email address to finish joining"
    assert "Thank you for joining the Residuals portal." in message.body
    assert not message.alternatives, "plain text only"
    link = CONFIRM_LINK_RE.search(message.body).group(0)

    confirm_page = client.get(link)
    assert_in_our_layout(confirm_page)
    assert heading(confirm_page) == "Confirm your email address"
    assert email in confirm_page.content.decode()
    assert client.post(link).status_code == 302

    response = sign_in(client, email, "quiet-harbor-lanterns-88")
    assert response.status_code == 302 and response.url == reverse("claims:dashboard")
    assert client.session["_auth_user_id"]


def test_signin_before_confirming_email_is_sent_to_check_email(client):
    make_member(email="unconfirmed@example.org", verified=False)
    response = sign_in(client, "unconfirmed@example.org")
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_expired_confirmation_link_says_so_in_plain_words(client):
    response = client.get(reverse("account_confirm_email", args=["not-a-real-key"]))
    assert_in_our_layout(response)
    assert "This link has expired or has already been used." in response.content.decode()


# --- Signing in -------------------------------------------------------------------------------


def test_signin_with_wrong_password_shows_error_and_does_not_sign_in(client, member):
    response = sign_in(client, member.user.email, "not my password")
    assert response.status_code == 200
    content = unescape(response.content.decode())
    assert 'class="form-errors" role="alert"' in content
    assert "The email address and/or password you specified are not correct." in content
    assert "_auth_user_id" not in client.session


def test_signin_page_offers_passkey_with_scripts_allowed_by_csp(client):
    response = client.get(reverse("account_login"))
    content = response.content.decode()
    assert 'id="passkey_login"' in content
    assert "mfa/js/webauthn.js" in content
    assert f'action="{reverse("mfa_login_webauthn")}"' in content
    assert_keeps_to_csp(response)


def test_signin_with_authenticator_app_asks_for_code_and_correct_code_signs_in(client, member):
    secret = enable_totp(member.user)

    response = sign_in(client, member.user.email)
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    code_page = client.get(reverse("mfa_authenticate"))
    assert_in_our_layout(code_page)
    assert heading(code_page) == "Second step: enter your code"
    assert_keeps_to_csp(code_page)
    # No passkey on this account, so no passkey button.
    assert 'id="mfa_webauthn_authenticate"' not in code_page.content.decode()

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    assert 'aria-invalid="true"' in wrong.content.decode()

    response = client.post(reverse("mfa_authenticate"), {"code": current_totp_code(secret)})
    assert response.status_code == 302 and response.url == reverse("claims:dashboard")
    assert int(client.session["_auth_user_id"]) == member.user.pk


# --- Password reset ---------------------------------------------------------------------------


def test_password_reset_unknown_email_looks_the_same_as_known_and_sends_no_reset_link(client, member):
    known = client.post(reverse("account_reset_password"), {"email": member.user.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert known.url == reverse("account_reset_password_done")
    assert without_tokens(client.get(known.url)) == without_tokens(client.get(unknown.url))

    to_member = [m for m in mail.outbox if m.to == [member.user.email]]
    assert len(to_member) == 1 and RESET_LINK_RE.search(to_member[0].body)
    to_unknown = [m for m in mail.outbox if m.to == ["nobody@example.org"]]
    # allauth may tell the typed address that it has no account (ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS);
    # that goes only to the address itself and never carries a reset link.
    assert all(not RESET_LINK_RE.search(m.body) for m in to_unknown)


def test_password_reset_email_and_link_let_member_choose_new_password(client, member):
    client.post(reverse("account_reset_password"), {"email": member.user.email})
    message = mail.outbox[0]
    assert message.subject == "[Residuals portal] Reset your password"
    assert "Residuals portal" in message.body and "Did not ask for this?" in message.body

    form_page = client.get(RESET_LINK_RE.search(message.body).group(0), follow=True)
    assert_in_our_layout(form_page)
    assert heading(form_page) == "Choose a new password"

    set_password_url = form_page.redirect_chain[-1][0]  # allauth moves the key out of the URL first
    done = client.post(
        set_password_url,
        {"password1": "a-brand-new-long-password", "password2": "a-brand-new-long-password"},
        follow=True,
    )
    assert heading(done) == "Your password has been changed"
    response = sign_in(client, member.user.email, "a-brand-new-long-password")
    assert response.url == reverse("claims:dashboard")


def test_used_password_reset_link_says_it_no_longer_works(client):
    response = client.get("/accounts/password/reset/key/1-not-a-key/", follow=True)
    assert_in_our_layout(response)
    assert heading(response) == "This link no longer works"
