from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from members.forms import MemberSearchForm
from members.models import MemberProfile
from members.permissions import staff_required
from members.selectors import member_credits, member_memberships, staff_member_search


@staff_required
def member_search(request):
    form = MemberSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(staff_member_search(query=query), 25).get_page(request.GET.get("page"))
    return render(request, "staff/member_search.html", {"form": form, "page": page, "query": query})


@staff_required
def member_detail(request, pk):
    member = get_object_or_404(MemberProfile.objects.select_related("user"), pk=pk)
    return render(
        request,
        "staff/member_detail.html",
        {
            "member": member,
            "memberships": member_memberships(member=member),
            "credits": member_credits(member=member),
            "professional_names": list(member.professional_names.all()),
        },
    )
