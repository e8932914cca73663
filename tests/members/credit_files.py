"""Credit files as people upload them, and the result page as they read it."""

import html
import re

from django.core.files.uploadedfile import SimpleUploadedFile

ROSTER_HEADER = "email,name,union,title,year,work_type,job,identifier,character,member_number\n"


def upload(text: str | bytes, name: str = "credits.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text, content_type="text/csv")


def page_text(response) -> str:
    """The page as a person reads it: tags dropped, whitespace collapsed, entities decoded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())
