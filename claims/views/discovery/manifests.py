"""Staff pages: create and edit training sets, upload manifests, watch them load, export matches."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from claims.forms.discovery import ManifestUploadForm, TrainingSetForm
from claims.models import Manifest, TrainingSet
from claims.selectors.discovery.exports import match_export_rows
from claims.services.discovery.ingestion import manifest_request_cancel, manifest_upload
from claims.services.discovery.training_sets import training_set_save
from members.permissions import staff_required
from portal.web import csv_download, progress_fragment


@staff_required
def training_set_form(request, pk=None):
    training_set = get_object_or_404(TrainingSet, pk=pk) if pk else None
    form = TrainingSetForm(request.POST or None, instance=training_set)
    if request.method == "POST" and form.is_valid():
        saved = training_set_save(training_set=training_set, data=form.cleaned_data)
        messages.success(request, f"“{saved}” is saved.")
        return redirect("claims:training_set_detail", pk=saved.pk)
    return render(
        request, "claims/discovery/staff/training_set_form.html", {"form": form, "training_set": training_set}
    )


@staff_required
def manifest_upload_view(request, pk):
    training_set = get_object_or_404(TrainingSet, pk=pk)
    if request.method == "POST":
        # Refuse an oversized upload before Django reads the body to disk.
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > settings.MANIFEST_MAX_BYTES + 1_000_000:
            too_big = f"The file is larger than {settings.MANIFEST_MAX_BYTES // 1_000_000} MB; nothing was stored."
            return render(
                request,
                "claims/discovery/staff/manifest_upload.html",
                {"form": ManifestUploadForm(), "training_set": training_set, "upload_error": too_big},
                status=413,
            )
        form = ManifestUploadForm(request.POST, request.FILES)
        if form.is_valid():
            manifest = manifest_upload(
                training_set=training_set, upload=form.cleaned_data["file"], uploaded_by=request.user
            )
            return redirect("claims:manifest_detail", pk=manifest.pk)
    else:
        form = ManifestUploadForm()
    return render(request, "claims/discovery/staff/manifest_upload.html", {"form": form, "training_set": training_set})


@staff_required
def manifest_detail(request, pk):
    manifest = get_object_or_404(Manifest.objects.select_related("training_set", "uploaded_by"), pk=pk)
    context = {"manifest": manifest, "rejections": manifest.rejections.all()[:500]}
    if request.htmx:
        return progress_fragment(
            request,
            template="claims/discovery/staff/manifest_detail.html#progress",
            context=context,
            finished=manifest.is_finished,
        )
    return render(request, "claims/discovery/staff/manifest_detail.html", context)


@require_POST
@staff_required
def manifest_cancel(request, pk):
    manifest = get_object_or_404(Manifest, pk=pk)
    if manifest_request_cancel(manifest=manifest):
        messages.info(request, "Cancelled: loading stops, and nothing changes for members.")
    else:
        messages.warning(request, "This manifest has already finished loading.")
    return redirect("claims:manifest_detail", pk=manifest.pk)


@staff_required
def match_export(request, pk):
    training_set = get_object_or_404(TrainingSet, pk=pk)
    return csv_download(
        rows=match_export_rows(training_set=training_set), filename=f"matches-training-set-{training_set.pk}.csv"
    )
