"""Invitations to the members a roster import created an account for."""

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse

from members.models import User


def account_invitations_send(*, user_ids: list[int], site_url: str) -> int:
    """E-mail each new, unclaimed account an invitation to set a password; returns how many.

    Accounts already claimed (a usable password, or a login) are skipped, so a
    redelivered task does not invite someone who has already signed in.
    """
    reset_url = site_url.rstrip("/") + reverse("account_reset_password")
    users = (
        User.objects.filter(pk__in=user_ids, last_login__isnull=True)
        .select_related("profile")
        .prefetch_related("profile__memberships__union")
        .annotate(credit_count=Count("profile__credits"))
    )
    messages = []
    for user in users:
        if user.has_usable_password():
            continue
        profile = getattr(user, "profile", None)
        memberships = profile.memberships.all() if profile else []
        context = {
            "email": user.email,
            "name": profile.legal_name if profile else "",
            "unions": [membership.union.short_name for membership in memberships],
            "credit_count": user.credit_count,
            "reset_url": reset_url,
            "site_url": site_url.rstrip("/"),
        }
        subject = render_to_string("emails/account_invitation_subject.txt", context).strip()
        body = render_to_string("emails/account_invitation_message.txt", context)
        messages.append(EmailMessage(settings.EMAIL_SUBJECT_PREFIX + subject, body, to=[user.email]))
    if messages:
        mailers.default.send_messages(messages)
    return len(messages)
