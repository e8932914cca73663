"""Signal receivers of the members app, connected in MembersConfig.ready()."""

from allauth.account.models import EmailAddress
from allauth.account.signals import password_reset
from django.dispatch import receiver

from .models import User


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
