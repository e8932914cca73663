from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render


def home(request):
    """The public front page; signed-in people go straight to their dashboard."""
    if request.user.is_authenticated:
        return redirect("claims:dashboard")
    return render(request, "members/home.html")


@login_required
def account_security(request):
    return render(
        request,
        "members/account_security.html",
        {
            "mfa_enabled": is_mfa_enabled(request.user),
            "authenticators": Authenticator.objects.filter(user=request.user).order_by("type"),
        },
    )
