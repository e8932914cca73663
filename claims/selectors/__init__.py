"""Reads of claims data, one module per concern; the common ones are re-exported here."""

from .training_sets import current_matches_for_member, manifest_search, training_sets_for_member

__all__ = ["current_matches_for_member", "manifest_search", "training_sets_for_member"]
