"""Credit CSV import and export pages (placeholder until the import feature lands)."""

from django.http import Http404


def member_import(request):
    raise Http404


def member_import_detail(request, pk):
    raise Http404


def member_export(request):
    raise Http404


def staff_import(request):
    raise Http404


def staff_import_detail(request, pk):
    raise Http404
