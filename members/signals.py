"""Signals the members app sends, and its own receivers (connected in MembersConfig.ready()).

members/ never imports claims/: when what discovery matches on changes (a credit, or the names a
member works under), members sends `credits_changed` and claims/ receives it to queue matching.
"""

from allauth.account.models import EmailAddress
from allauth.account.signals import password_reset
from django.dispatch import Signal, receiver

from members.models import User

# Sent inside the transaction that changed the credits, with `credit_ids` (a list of Credit ids);
# receivers that start work use delay_on_commit, so nothing runs for a change that rolls back.
credits_changed = Signal()


@receiver(password_reset, dispatch_uid="members.verify_email_after_password_reset")
def _verify_email_after_password_reset(sender, request, user: User, **kwargs) -> None:
    """Setting a password through an e-mailed reset link proves control of the inbox.

    allauth 65.21 verifies the address after a reset *by code*, but not after a
    reset *by link*, and login requires a verified address, so an invited member
    would be asked to verify right after claiming the account. We verify only
    when the account has that one address, so the link can only have gone there.
    """
    addresses = list(EmailAddress.objects.filter(user=user)[:2])
    if len(addresses) == 1 and addresses[0].email.lower() == user.email.lower():
        addresses[0].set_verified()
