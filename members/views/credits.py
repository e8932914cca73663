from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from members.forms import CreditForm
from members.models import Work
from members.permissions import member_required
from members.selectors import member_credits
from members.selectors import work_search as search_works
from members.services.credits import credit_delete as delete_credit
from members.services.credits import credit_save

FORM_TEMPLATE = "members/credit_form.html"


@member_required
def credit_list(request, *, member):
    return render(request, "members/credit_list.html", {"credits": member_credits(member=member)})


@member_required
def credit_add(request, *, member):
    return _credit_form(request, member=member, credit=None)


@member_required
def credit_edit(request, pk, *, member):
    credit = get_object_or_404(member.credits.select_related("work"), pk=pk)
    return _credit_form(request, member=member, credit=credit)


def _credit_form(request, *, member, credit):
    initial = {}
    if credit:
        initial = {
            "work": credit.work,
            "job": credit.job,
            "credited_as": credit.credited_as,
            "episode_count": credit.episode_count,
        }
    form = CreditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        picked = data.get("work")
        try:
            saved = credit_save(
                member=member,
                credit=credit,
                work=picked,
                details=None if picked else form.work_details(),
                job=data["job"],
                credited_as=data["credited_as"],
                episode_count=data["episode_count"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Your credit on {saved.work} is saved.")
            return redirect("members:credit_list")
    chosen_work = _chosen_work(form, credit)
    return render(request, FORM_TEMPLATE, {"form": form, "credit": credit, "chosen_work": chosen_work})


def _chosen_work(form: CreditForm, credit) -> Work | None:
    """The work shown as picked: the one posted, or the credit's own when editing."""
    if form.is_bound:
        value = form.data.get("work")
        return Work.objects.filter(pk=value).first() if value and str(value).isdigit() else None
    return credit.work if credit else None


@member_required
def work_search(request, *, member):
    """Search-as-you-type results for the credit form (an htmx fragment)."""
    query = request.GET.get("q", "")
    return render(request, f"{FORM_TEMPLATE}#work_results", {"works": search_works(query=query), "query": query})


@member_required
def work_pick(request, pk, *, member):
    """Swap the work picker for the chosen work (an htmx fragment)."""
    work = get_object_or_404(Work, pk=pk)
    return render(request, f"{FORM_TEMPLATE}#work_picker", {"chosen_work": work, "form": CreditForm()})


@member_required
def work_new(request, *, member):
    """Back from a picked work to search and the new-work fields (an htmx fragment)."""
    return render(request, f"{FORM_TEMPLATE}#work_picker", {"chosen_work": None, "form": CreditForm()})


@require_POST
@member_required
def credit_delete(request, pk, *, member):
    credit = get_object_or_404(member.credits.select_related("work"), pk=pk)
    delete_credit(credit=credit)
    messages.success(request, f"Your credit on {credit.work} was deleted.")
    return redirect("members:credit_list")
