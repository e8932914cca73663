"""Invitations to the members a roster import created an account for."""

from django.conf import settings
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse

from members.models import User
from portal.emails import email_send_once


def account_invitations_send(*, user_ids: list[int], site_url: str) -> int:
    """E-mail each new, unclaimed account an invitation to set a password; returns how many were sent.

    At most once per account, by its `invited_at` mark (portal.emails): a redelivered task sends
    nothing again, and a failed send is given back and raised, so the next delivery tries again.
    Accounts already claimed (a usable password, or a login) are skipped.
    """
    reset_url = site_url.rstrip("/") + reverse("account_reset_password")
    users = (
        User.objects.filter(pk__in=user_ids, last_login__isnull=True, invited_at__isnull=True)
        .select_related("profile")
        .prefetch_related("profile__memberships__union")
        .annotate(credit_count=Count("profile__credits"))
        .order_by("pk")
    )
    sent = 0
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
        if email_send_once(
            mark=User.objects.filter(pk=user.pk),
            field="invited_at",
            to=user.email,
            subject=settings.EMAIL_SUBJECT_PREFIX + subject,
            template="emails/account_invitation_message.txt",
            context=context,
        ):
            sent += 1
    return sent
