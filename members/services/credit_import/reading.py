"""Reading a credits CSV: the columns it may have, and its records streamed line by line.

Nothing here touches the database. A file that cannot be read as a whole (encoding, CSV
syntax, header, a runaway line) raises ImportFileError with the line where it went wrong.
"""

import codecs
import csv
from collections.abc import Iterator
from typing import IO

from django.core.files import File

from members.enums import ImportScope
from portal.errors import Refused

COLUMNS = ("email", "name", "union", "title", "year", "work_type", "job", "identifier", "character", "member_number")
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    ImportScope.ROSTER: ("email", "name", "union", "title", "year", "work_type", "job"),
    # A member imports their own credits: who they are and their union come from their account.
    ImportScope.MEMBER: ("title", "year", "work_type", "job"),
}
HEADER_ALIASES = {
    "e_mail": "email",
    "type": "work_type",
    "member_no": "member_number",
    "credited_as": "character",
    "role": "character",
}

MAX_LINE_BYTES = 1024 * 1024


class ImportFileError(Refused):
    """The file as a whole cannot be read (encoding, header, CSV syntax, size); `line` is where, if known."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def _text_lines(stream: IO[bytes]) -> Iterator[str]:
    """Decoded physical lines, read 64 KB at a time. UTF-8 only (a leading BOM is dropped).

    Splitting on b"\\n" before decoding is safe: that byte never occurs inside a UTF-8 sequence.
    """
    pending, number = b"", 0
    while chunk := stream.read(64 * 1024):
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for raw in lines:
            number += 1
            yield _decode(raw + b"\n", number)
        if len(pending) > MAX_LINE_BYTES:
            raise ImportFileError(
                f"Line {number + 1} is longer than 1 MB; this does not look like a credits CSV.", number + 1
            )
    if pending:
        yield _decode(pending, number + 1)


def _decode(raw: bytes, number: int) -> str:
    if number == 1:
        raw = raw.removeprefix(codecs.BOM_UTF8)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ImportFileError(
            f"Line {number} is not UTF-8 text. Save the file as “CSV UTF-8” "
            "(in Excel: File › Save As) and upload it again.",
            number,
        ) from None


Record = tuple[int, list[str]]  # (line number where the record starts, cells)


def _records(stream: IO[bytes]) -> Iterator[Record]:
    """(line number where the record starts, cells) for every record that is not blank."""
    reader = csv.reader(_text_lines(stream), strict=True)  # strict: an unclosed quote is an error
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            line = start  # where the broken value begins, not where the reader gave up
            raise ImportFileError(f"Line {line} cannot be read as CSV: {_csv_problem(error)}", line) from None
        if any(cell.strip() for cell in cells):
            yield start, cells


def _csv_problem(error: csv.Error) -> str:
    text = str(error)
    if "new-line character" in text:
        return "it has a line break we do not understand (save the file again as CSV UTF-8)."
    if "unexpected end of data" in text:
        return 'a quoted value is never closed (a " is missing).'
    if "expected after" in text:
        return 'a quoted value has more text after its closing ".'
    if "field larger than field limit" in text:
        return "one value is far too long."
    return text


def _header(line: int, cells: list[str], scope: str) -> dict[str, int]:
    """Column name -> position. Names are matched ignoring case, spaces and hyphens."""
    names = [
        HEADER_ALIASES.get(key, key)
        for key in (cell.strip().lower().replace(" ", "_").replace("-", "_") for cell in cells)
    ]
    while names and not names[-1]:
        names.pop()  # spreadsheets often leave empty columns at the end
    accepted = ", ".join(COLUMNS)
    unknown = [
        cells[position].strip() or f"(column {position + 1} has no name)"
        for position, name in enumerate(names)
        if name not in COLUMNS
    ]
    if unknown:
        raise ImportFileError(
            f"The header (line {line}) has unknown columns: {', '.join(unknown)}. Accepted columns: {accepted}.", line
        )
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ImportFileError(
            f"The header (line {line}) has these columns more than once: {', '.join(repeated)}.", line
        )
    missing = [name for name in REQUIRED_COLUMNS[scope] if name not in names]
    if missing:
        raise ImportFileError(
            f"The header (line {line}) is missing the columns {', '.join(missing)}. "
            f"Required: {', '.join(REQUIRED_COLUMNS[scope])}. Accepted columns: {accepted}.",
            line,
        )
    return {name: position for position, name in enumerate(names)}


def data_records(stream: IO[bytes], scope: str) -> tuple[dict[str, int], Iterator[Record]]:
    """The header's column positions, and the records under it."""
    records = _records(stream)
    first = next(records, None)
    if first is None:
        raise ImportFileError("The file is empty. The first line must name the columns: " + ", ".join(COLUMNS))
    return _header(*first, scope), records


def check_header(*, upload: "File[bytes]", scope: str) -> None:
    """Raise ImportFileError when the upload's first line is not a usable header."""
    upload.seek(0)
    try:
        data_records(upload, scope)
    finally:
        upload.seek(0)


def count_lines(stream: IO[bytes]) -> int:
    """Physical lines in the file (a last line without a line break counts), read 1 MB at a time."""
    lines, last = 0, b"\n"
    while chunk := stream.read(1024 * 1024):
        lines += chunk.count(b"\n")
        last = chunk[-1:]
    return lines + (last != b"\n")
