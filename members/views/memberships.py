from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from members.forms import MembershipForm
from members.permissions import member_required
from members.services.memberships import membership_delete as delete_membership
from members.services.memberships import membership_save


@member_required
def membership_add(request, *, member):
    return _membership_form(request, member=member, membership=None)


@member_required
def membership_edit(request, pk, *, member):
    membership = get_object_or_404(member.memberships, pk=pk)
    return _membership_form(request, member=member, membership=membership)


def _membership_form(request, *, member, membership):
    form = MembershipForm(request.POST or None, instance=membership, member=member)
    if request.method == "POST" and form.is_valid():
        membership_save(member=member, membership=membership, data=form.cleaned_data)
        messages.success(request, f"Your {form.cleaned_data['union']} membership is saved.")
        return redirect("claims:dashboard")
    return render(request, "members/membership_form.html", {"form": form, "membership": membership})


@require_POST
@member_required
def membership_delete(request, pk, *, member):
    membership = get_object_or_404(member.memberships, pk=pk)
    delete_membership(membership=membership)
    messages.success(request, f"Your {membership.union} membership was removed.")
    return redirect("claims:dashboard")
