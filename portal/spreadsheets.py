"""The formula guard every CSV the portal writes goes through.

Titles, names and manifest rows are typed by members and AI developers; a spreadsheet runs a
cell that starts with a formula character, so `=HYPERLINK(...)` in a title would become a link
(or worse) on a verifier's screen. `neutralise` puts a ' in front of such a cell, which every
spreadsheet shows as text; the credit import strips that quote again, so an export re-imports
cleanly. Pure Python: anything may import it (members, claims, the engines that write CSV bytes).
"""

import csv
from collections.abc import Iterable
from typing import Any, Protocol

# OWASP's CSV-injection list. The match export and the credit export each had their own copy;
# both held exactly these six characters, so their union is these six.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


class Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def neutralise(value: object) -> str:
    """The cell as text, with a ' in front when a spreadsheet would run it as a formula; None is ""."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_LEADS) else text


class _GuardedWriter:
    """A csv.writer (lines end in CRLF, as RFC 4180 asks) whose every cell goes through `neutralise`."""

    def __init__(self, out: Writable) -> None:
        self._writer = csv.writer(out, lineterminator="\r\n")

    def writerow(self, row: Iterable[object]) -> Any:
        """Write one row; returns what `out.write` returned (the line itself, for streaming)."""
        return self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: Writable) -> _GuardedWriter:
    """A CSV writer onto `out` (a text file, a response, a buffer) that never writes a formula."""
    return _GuardedWriter(out)
