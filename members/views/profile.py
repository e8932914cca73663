from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.shortcuts import redirect, render

from members.forms import ProfileForm, StatementDetailsForm
from members.permissions import member_required
from members.services.profiles import parse_professional_names, profile_update


@member_required
def profile_edit(request, *, member):
    names = "\n".join(name.name for name in member.professional_names.all())
    form = ProfileForm(request.POST or None, instance=member, initial={"professional_names": names})
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in ProfileForm.Meta.fields}
        profile_update(
            profile=member,
            data=data,
            professional_names=parse_professional_names(form.cleaned_data["professional_names"]),
        )
        messages.success(request, "Your profile is saved.")
        return redirect("claims:dashboard")
    return render(request, "members/profile_form.html", {"form": form, "member": member})


@member_required
@reauthentication_required
def statement_details_edit(request, *, member):
    """Legal name and postal address decide who is paid and where statements go,
    so allauth asks for the password (or a passkey) again before they change."""
    form = StatementDetailsForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        profile_update(profile=member, data=form.cleaned_data)
        messages.success(request, "Your statement details are saved.")
        return redirect("claims:dashboard")
    return render(request, "members/statement_details_form.html", {"form": form, "member": member})
