"""The public "verify a statement" page: anyone holding a statement (a bank, a landlord, the
member) can check it is ours. It says only valid or not, and when valid the period and the
total payable: never whose statement it is."""

from django.core.cache import cache
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from claims.forms.statement_verify import StatementVerifyForm
from claims.selectors.residuals.statement_data import statement_fingerprint_check

CHECKS_PER_MINUTE = 20


def _over_limit(request) -> bool:
    """Count a check for the caller's address; True once it passes CHECKS_PER_MINUTE in a minute."""
    key = f"statement-verify:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60)
        count = 1
    return count > CHECKS_PER_MINUTE


@require_GET
@never_cache
def verify(request):
    form = StatementVerifyForm(request.GET or None)
    result = None
    status = 200
    if request.GET:
        if _over_limit(request):
            form = StatementVerifyForm()
            status = 429
        elif form.is_valid():
            result = statement_fingerprint_check(
                number=form.cleaned_data["number"], fingerprint=form.cleaned_data["fingerprint"]
            )
    return render(
        request,
        "claims/residuals/statement_verify.html",
        {"form": form, "result": result, "rate_limited": status == 429},
        status=status,
    )
