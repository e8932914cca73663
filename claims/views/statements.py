"""Placeholder views until this part of residual statements lands."""

from django.http import Http404


def _missing(*args, **kwargs):
    raise Http404
statement_list = statement_download = statement_csv = run_detail = run_retry = statement_reissue = staff_statement_download = _missing
