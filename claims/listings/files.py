"""Reading manifest files: CSV, TSV or JSON Lines, optionally gzip-compressed, streamed.

`read_manifest` yields one `ManifestRow` per line of data, in order, never
holding the file in memory. Rows that cannot be read are yielded too, with
the reason, so the caller can list them: a bad row never stops the rest.
Columns are recognised by header name (case, spaces and punctuation ignored,
common aliases accepted); any other column is kept with the entry.
"""

import codecs
import csv
import datetime
import gzip
import io
import json
import re
from collections.abc import Buffer, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from portal.errors import Refused

MAX_FIELD_CHARS = 1000
EARLIEST_MANIFEST_YEAR = 1450  # printed books; films start in 1888

# Canonical column -> header spellings seen in real listings (after lower-casing
# and dropping everything but letters and digits).
COLUMN_ALIASES: dict[str, set[str]] = {
    "title": {
        "title",
        "name",
        "moviename",
        "movietitle",
        "filmtitle",
        "booktitle",
        "worktitle",
        "primarytitle",
        "originaltitle",
        "filename",
        "file",
        "path",
        "bookname",
    },
    "year": {
        "year",
        "movieyear",
        "releaseyear",
        "publicationyear",
        "pubyear",
        "startyear",
        "yearreleased",
        "releasedate",
        "publicationdate",
        "date",
        "published",
    },
    "creators": {
        "creators",
        "creator",
        "author",
        "authors",
        "director",
        "directors",
        "writer",
        "writers",
        "by",
        "byline",
        "screenwriter",
        "screenwriters",
    },
    # Columns that hold only IMDb ids: OpenSubtitles writes them as bare numbers (99000101 = tt99000101).
    "imdb": {"imdb", "imdbid", "idmovieimdb", "tconst", "imdbidentifier", "imdbtitleid"},
    "series_imdb": {"seriesimdbparent", "parentimdbid", "seriesimdbid", "parenttconst"},
    "identifier": {"identifier", "isbn", "isbn13", "isbn10", "eidr", "eidrid", "doi"},
    "season": {"season", "seriesseason", "seasonnumber", "seasonno"},
    "episode": {"episode", "seriesepisode", "episodenumber", "episodeno"},
    "series": {"series", "seriestitle", "seriesname", "show", "showtitle", "parenttitle", "seriesimdbparentname"},
}
HEADER_TO_COLUMN = {alias: column for column, aliases in COLUMN_ALIASES.items() for alias in aliases}
# Several identifier or creator columns may appear together (IMDb id and ISBN; author and director).
MULTI_COLUMNS = {"identifier", "imdb", "creators"}


class ManifestFileError(Refused):
    """The file as a whole cannot be read (no title column, not a known format...); staff see why."""


@dataclass(slots=True)
class ManifestRow:
    row_number: int
    values: dict[str, str] = field(default_factory=dict)
    identifiers: list[str] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)
    error: str = ""
    excerpt: str = ""


def header_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


class CountingReader(io.RawIOBase):
    """Wraps the raw file so progress can be shown as bytes read of the file size."""

    def __init__(self, raw: IO[bytes]):
        self.raw = raw
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Buffer) -> int:
        view = memoryview(buffer).cast("B")  # bytes, whatever the buffer's item format
        data = self.raw.read(len(view))
        view[: len(data)] = data
        self.bytes_read += len(data)
        return len(data)


def open_binary(raw: IO[bytes]) -> tuple[CountingReader, IO[bytes]]:
    """Return the byte counter on the stored file and a stream of the decompressed bytes."""
    counter = CountingReader(raw)
    buffered = io.BufferedReader(counter, buffer_size=1 << 20)
    if buffered.peek(2)[:2] == b"\x1f\x8b":
        return counter, gzip.GzipFile(fileobj=buffered)  # type: ignore[return-value]
    return counter, buffered


def sniff_format(first_line: str, name: str) -> str:
    lowered = name.lower().removesuffix(".gz")
    if lowered.endswith((".jsonl", ".ndjson", ".json")) or first_line.lstrip().startswith("{"):
        return "jsonl"
    if lowered.endswith(".tsv") or first_line.count("\t") > first_line.count(","):
        return "tsv"
    return "csv"


def map_header(header: list[str]) -> dict[int, str]:
    """Column index -> canonical name (or 'extra:<original name>')."""
    mapping: dict[int, str] = {}
    seen: set[str] = set()
    for index, name in enumerate(header):
        canonical = HEADER_TO_COLUMN.get(header_key(name))
        if canonical and (canonical not in seen or canonical in MULTI_COLUMNS):
            mapping[index] = canonical
            seen.add(canonical)
        else:
            mapping[index] = f"extra:{name.strip() or f'column {index + 1}'}"
    if "title" not in seen:
        accepted = ", ".join(sorted(COLUMN_ALIASES["title"]))
        raise ManifestFileError(
            f"No title column found in the header ({', '.join(header)[:200]}). Name it 'title' (or one of: {accepted})."
        )
    return mapping


# One scan of a value finds any character that makes it unusable (the common case: none).
_SUSPECT = re.compile("[\x00\ufeff\udc80-\udcff]")


def imdb_from_column(value: str) -> str:
    """An IMDb id from a column that holds nothing else: "99000101" -> "tt99000101", "114709" -> "tt0114709".

    Decimal digits only: "²" is a digit to str.isdigit but not to int(), and would stop the whole file.
    """
    return f"tt{int(value):07d}" if value.isdecimal() and len(value) <= 10 else value


def check_text(value: str) -> str:
    """The reason a field's text is unusable, or '' when it is fine."""
    if len(value) > MAX_FIELD_CHARS:
        return f"has a value longer than {MAX_FIELD_CHARS} characters"
    if _SUSPECT.search(value) is None:
        return ""
    if "\x00" in value:
        return "contains a NUL byte"
    if "\ufeff" in value:
        return "contains a byte-order mark inside the row"
    return "is not valid UTF-8 text"


_LATEST_YEAR = datetime.date.today().year + 5
_YEAR_RE = re.compile(r"(\d{4})(?:[-/.]\d{1,2}(?:[-/.]\d{1,2})?)?|\d{1,2}[-/.]\d{1,2}[-/.](\d{4})")


def is_plausible_year(year: int) -> bool:
    """Whether a year (from the year column or the title) can be a work's year. The latest is
    worked out once per process, not once per row: a few years' margin makes that safe."""
    return EARLIEST_MANIFEST_YEAR <= year <= _LATEST_YEAR


def parse_year(value: str) -> tuple[int | None, str]:
    """A year from '2019', '2019-05-01' or '05/01/2019'; (None, reason) when absurd or not a year."""
    text = value.strip()
    if not text:
        return None, ""
    if len(text) == 4 and text.isdigit() and EARLIEST_MANIFEST_YEAR <= int(text) <= _LATEST_YEAR:
        return int(text), ""  # the common case, without the regex
    match = _YEAR_RE.fullmatch(text)
    if not match:
        return None, f"year {text[:20]!r} is not a year"
    year = int(match.group(1) or match.group(2))
    latest = datetime.date.today().year + 5
    if not EARLIEST_MANIFEST_YEAR <= year <= latest:
        return None, f"year {year} is outside {EARLIEST_MANIFEST_YEAR}–{latest}"
    return year, ""


def _row_from_values(row_number: int, columns: list[str], values: list[str]) -> ManifestRow:
    """The row made of these values of these columns (canonical names, as map_header gives them)."""
    row = ManifestRow(row_number=row_number)
    # One scan of the whole row first: almost every row is clean, and then no field needs its own.
    joined = "\x1f".join(values)
    if len(joined) > MAX_FIELD_CHARS or _SUSPECT.search(joined) is not None:
        # A short row has fewer values than the header has columns: the missing ones are empty.
        for column, value in zip(columns, values, strict=False):
            problem = check_text(value) if value else ""
            if problem:
                row.error = f"{column.removeprefix('extra:')} {problem}"
                row.excerpt = value.encode("utf-8", "replace").decode("utf-8")[:200]
                return row
    found = row.values
    for column, value in zip(columns, values, strict=False):
        value = value.strip()
        if not value:
            continue  # an empty field says nothing: readers take a missing column as ""
        if column in _PLAIN_COLUMNS:
            found[column] = value
        elif column.startswith("extra:"):
            row.extra[column.removeprefix("extra:")] = value
        elif column == "identifier":
            row.identifiers.append(value)
        elif column == "imdb":
            row.identifiers.append(imdb_from_column(value))
        elif column == "series_imdb":
            found["series_imdb"] = imdb_from_column(value)
        elif column == "creators" and found.get("creators"):
            found["creators"] += "; " + value
        else:
            found[column] = value
    if not found.get("title"):
        row.error = "title is missing"
        row.excerpt = " | ".join(values)[:200]
    return row


# Columns whose value is kept as it is (stripped), the commonest case.
_PLAIN_COLUMNS = frozenset({"title", "year", "series", "season", "episode"})


def _text_stream(binary: IO[bytes]) -> io.TextIOWrapper:
    # utf-8-sig drops a byte-order mark at the very start; surrogateescape keeps
    # undecodable bytes so the row can be reported instead of failing the file.
    return io.TextIOWrapper(binary, encoding="utf-8-sig", errors="surrogateescape", newline="")


def read_manifest(binary: IO[bytes], *, name: str, columns_out: dict[str, Any] | None = None) -> Iterator[ManifestRow]:
    """Yield every data row of the file; the header is row 1, so data starts at row 2."""
    text = _text_stream(binary)
    first_line = text.readline()
    if not first_line.strip():
        raise ManifestFileError("The file is empty.")
    kind = sniff_format(first_line, name)
    if columns_out is not None:
        columns_out["format"] = kind
    if kind == "jsonl":
        yield from _read_jsonl(first_line, text, columns_out)
        return
    delimiter = "\t" if kind == "tsv" else ","
    reader = csv.reader(_chain_first(first_line, text), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as error:
        raise ManifestFileError(f"The header line cannot be read: {error}") from None
    mapping = map_header(header)
    if columns_out is not None:
        columns_out["columns"] = {header[index]: column for index, column in mapping.items()}
    columns = [mapping[index] for index in range(len(header))]
    # Rows are counted as records, not physical lines, so a quoted title with a
    # line break in it does not shift the numbers of the rows after it.
    row_number = 1
    while True:
        row_number += 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield ManifestRow(row_number=row_number, error=f"cannot be read as {kind.upper()}: {error}")
            continue
        if not any(value.strip() for value in fields):
            continue
        if len(fields) > len(header):
            yield ManifestRow(
                row_number=row_number,
                error=f"has {len(fields)} fields but the header has {len(header)}",
                excerpt=",".join(fields)[:200],
            )
            continue
        yield _row_from_values(row_number, columns, fields)


def _chain_first(first_line: str, rest: io.TextIOWrapper) -> Iterator[str]:
    yield first_line
    yield from rest


def _read_jsonl(first_line: str, text: io.TextIOWrapper, columns_out: dict[str, Any] | None) -> Iterator[ManifestRow]:
    """JSON Lines has no header: row 1 is the first object, so rows are numbered from 1."""
    mappings: dict[str, str] = {}
    for row_number, line in enumerate(_chain_first(first_line, text), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            problem = check_text(line)
            yield ManifestRow(row_number=row_number, error=problem or "is not valid JSON", excerpt=line[:200])
            continue
        if not isinstance(obj, dict):
            yield ManifestRow(row_number=row_number, error="is not a JSON object", excerpt=line[:200])
            continue
        columns, values = [], []
        for key, value in obj.items():
            if key not in mappings:
                mappings[key] = HEADER_TO_COLUMN.get(header_key(key), f"extra:{key}")
            if isinstance(value, list):
                value = "; ".join(str(item) for item in value)
            columns.append(mappings[key])
            values.append("" if value is None else str(value))
        yield _row_from_values(row_number, columns, values)
    if columns_out is not None:
        columns_out["columns"] = mappings


def decode_check(sample: bytes) -> str:
    """Used on uploads: a quick look that the file starts as text we can read."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample[:4096])
    except UnicodeDecodeError:
        return "The file does not start as UTF-8 text."
    return ""
