"""Who may do what. Members act only on their own rows; staff pages need staff with two-factor on."""

from functools import wraps

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from members.models import MemberProfile
from members.services.profiles import profile_ensure


def member_required(view):
    """Signed-in user; passes their MemberProfile to the view as `member`."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        member: MemberProfile = profile_ensure(user=request.user)
        return view(request, *args, member=member, **kwargs)

    return wrapper


def staff_required(view):
    """Union staff only (403 for members), and only once two-factor login is on.

    Staff without two-factor are sent to set it up: a stolen staff password
    must not be enough to see every member's data.
    """

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied("This page is for union staff.")
        if not is_mfa_enabled(request.user):
            messages.warning(request, "Union staff must turn on two-step sign-in before using staff pages.")
            return redirect("mfa_activate_totp")
        return view(request, *args, **kwargs)

    return wrapper
