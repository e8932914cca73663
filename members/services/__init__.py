"""Writes and side effects for member data, one module per noun."""
