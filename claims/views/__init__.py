"""Views are thin: check who is asking, call a service or selector, render."""
