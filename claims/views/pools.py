"""Placeholder views until this part of residual statements lands."""

from django.http import Http404


def _missing(*args, **kwargs):
    raise Http404
pool_list = pool_create = pool_detail = pool_lines_csv = pool_issue = _missing
