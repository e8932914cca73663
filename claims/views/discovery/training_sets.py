"""Training sets as members see them: the list, one set, and "is my work in it?" search."""

from django.shortcuts import get_object_or_404, render

from claims.forms.discovery import ManifestSearchForm
from claims.models import TrainingSet
from claims.selectors.discovery.training_sets import (
    current_matches_for_member,
    manifest_search,
    training_sets_for_member,
)
from members.permissions import member_required


@member_required
def training_set_list(request, *, member):
    return render(
        request,
        "claims/discovery/training_set_list.html",
        {
            "training_sets": training_sets_for_member(member=member),
        },
    )


@member_required
def training_set_detail(request, pk, *, member):
    training_set = get_object_or_404(TrainingSet.objects.select_related("current_manifest"), pk=pk)
    form = ManifestSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = []
    if query and training_set.current_manifest:
        results = manifest_search(manifest=training_set.current_manifest, query=query)
    context = {
        "training_set": training_set,
        "form": form,
        "query": query,
        "results": results,
        "matches": current_matches_for_member(member=member, training_set=training_set),
    }
    if request.htmx:
        return render(request, "claims/discovery/training_set_detail.html#search_results", context)
    return render(request, "claims/discovery/training_set_detail.html", context)
