"""Responses every app's views share: downloads of private files and CSVs, and HTMX progress fragments.

Every download here is private: it carries a member's data or money, so no shared cache keeps it
(`Cache-Control: private, no-store`), the browser never guesses another type for it (`nosniff`),
and if it is ever opened as a page it runs in a sandbox with no access to this site. The file name
in Content-Disposition is quoted or percent-encoded by Django, so any text a member typed is safe.
"""

from collections.abc import Iterable
from typing import IO

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django_htmx.http import HTMX_STOP_POLLING

from portal.spreadsheets import csv_writer

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
PRIVATE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox",
    "Cache-Control": "private, no-store",
}


def _private[R: HttpResponseBase](response: R) -> R:
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    return response


def private_file_response(*, file: IO[bytes], filename: str, content_type: str, inline: bool = False) -> FileResponse:
    """A stored file, streamed as an attachment (or `inline`, for an image a page shows) under `filename`.

    A text type without a charset is sent as UTF-8, so a browser never guesses one: the portal
    only stores and writes UTF-8 text (evidence is checked to be UTF-8 when it is uploaded).
    """
    if content_type.startswith("text/") and "charset=" not in content_type:
        content_type += "; charset=utf-8"
    response = FileResponse(file, as_attachment=not inline, filename=filename, content_type=content_type)
    return _private(response)


def private_attachment(*, filename: str, content_type: str, content: bytes | str = b"") -> HttpResponse:
    """A file made in the request, held in memory: `content`, or whatever is then written to the response."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return _private(response)


class _Echo:
    """Hands back what csv.writer writes, so each row goes out as soon as it is made."""

    def write(self, text: str) -> str:
        return text


def csv_download(*, rows: Iterable[Iterable[object]], filename: str) -> StreamingHttpResponse:
    """A CSV attachment streamed row by row (exports can be long), every cell guarded against formulas."""
    writer = csv_writer(_Echo())
    response = StreamingHttpResponse((writer.writerow(row) for row in rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return _private(response)


def progress_fragment(request: HttpRequest, *, template: str, context: dict, finished: bool) -> HttpResponse:
    """The progress partial (`template` names it, `page.html#progress`) a page polls for with htmx.

    Once the job is `finished`, the status is 286: htmx swaps this last fragment in and stops polling.
    """
    return render(request, template, context, status=HTMX_STOP_POLLING if finished else 200)
