"""Placeholder views until this part of residual statements lands."""

from django.http import Http404


def _missing(*args, **kwargs):
    raise Http404
verify = _missing
