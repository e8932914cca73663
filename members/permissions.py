"""Who may do what. Members act only on their own rows; staff pages need staff with two-factor on."""

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect

from members.models import User
from members.services.profiles import profile_ensure

View = Callable[..., HttpResponseBase]


def member_required(view: View) -> View:
    """Signed-in user; passes their MemberProfile to the view as `member`."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # login_required lets only a signed-in User through, never AnonymousUser.
        member = profile_ensure(user=cast(User, request.user))
        return view(request, *args, member=member, **kwargs)

    return wrapper


def staff_required(view: View) -> View:
    """Union staff only (403 for members), and only once two-factor login is on.

    Staff without two-factor are sent to set it up: a stolen staff password
    must not be enough to see every member's data.
    """

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_staff:
            raise PermissionDenied("This page is for union staff.")
        if not is_mfa_enabled(request.user):
            messages.warning(request, "Union staff must turn on two-step sign-in before using staff pages.")
            return redirect("mfa_activate_totp")
        return view(request, *args, **kwargs)

    return wrapper
