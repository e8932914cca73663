"""Credit CSV imports: a member's own list, or a staff roster for many members.

Imports are all-or-nothing per file. Pass 1 streams the stored file and checks
every row (recording up to MAX_STORED_ERRORS problems with their line numbers);
only a file without problems gets pass 2, which streams it again and writes
accounts, works, memberships and credits in one transaction. Memory stays
bounded for 100,000-row files: rows are never all held at once, only maps
from e-mail addresses and work keys to ids.

A roster row for an e-mail we do not know creates an account with an unusable
password; after commit the new members are e-mailed an invitation to claim it
through the password-reset page.
"""

import codecs
import csv
import datetime
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import batched
from typing import IO

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.mail import EmailMessage, mailers
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ..enums import JOB_CATEGORY, ImportScope, ImportStatus
from ..identifiers import detect_and_normalize
from ..models import EARLIEST_YEAR, Credit, CreditImport, MemberProfile, Membership, User, Work
from ..vocabulary import UnionVocabulary, job_from_text, work_type_from_text
from .works import IDENTIFIER_FIELDS, IDENTIFIER_LABELS, work_key

logger = logging.getLogger(__name__)

COLUMNS = ("email", "name", "union", "title", "year", "work_type", "job", "identifier",
           "character", "member_number")
REQUIRED_COLUMNS = {
    ImportScope.ROSTER: ("email", "name", "union", "title", "year", "work_type", "job"),
    # A member imports their own credits: who they are and their union come from their account.
    ImportScope.MEMBER: ("title", "year", "work_type", "job"),
}
HEADER_ALIASES = {"e_mail": "email", "type": "work_type", "member_no": "member_number",
                  "credited_as": "character", "role": "character"}
# Spreadsheets run a cell starting with one of these as a formula; exports put a ' in front.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")

MEMBER_MAX_ROWS = 5_000
MAX_STORED_ERRORS = 1_000
BATCH_SIZE = 2_000
PROGRESS_EVERY = 1_000
MAX_LINE_BYTES = 1024 * 1024
INVITATION_BATCH = 500
MATCH_BATCH = 100  # credits per matching task: each builds one prefilter query over them all

ALLOWED_TRANSITIONS = {
    ImportStatus.QUEUED: {ImportStatus.RUNNING},
    # RUNNING -> RUNNING restarts an import whose worker died (see credit_import_process).
    ImportStatus.RUNNING: {ImportStatus.RUNNING, ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.CRASHED},
}
# An import still RUNNING this long after it started was left by a worker that died: the
# write is one transaction, so nothing of it was committed and it can start again.
STALE_RUNNING_AFTER = datetime.timedelta(minutes=15)


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, header, CSV syntax, size)."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason, self.line = reason, line


class RowError(Exception):
    """One row's problems, in words a member can act on."""


# Reading ---------------------------------------------------------------------------------------


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
            raise ImportFileError(f"Line {number + 1} is longer than 1 MB; this does not look like "
                                  "a credits CSV.", number + 1)
    if pending:
        yield _decode(pending, number + 1)


def _decode(raw: bytes, number: int) -> str:
    if number == 1:
        raw = raw.removeprefix(codecs.BOM_UTF8)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ImportFileError(f"Line {number} is not UTF-8 text. Save the file as “CSV UTF-8” "
                              "(in Excel: File › Save As) and upload it again.", number) from None


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
            raise ImportFileError(f"Line {line} cannot be read as CSV: {_csv_problem(error)}",
                                  line) from None
        if any(cell.strip() for cell in cells):
            yield start, cells


def _csv_problem(error: csv.Error) -> str:
    text = str(error)
    if "new-line character" in text:
        return "it has a line break we do not understand (save the file again as CSV UTF-8)."
    if "unexpected end of data" in text:
        return "a quoted value is never closed (a \" is missing)."
    if "expected after" in text:
        return "a quoted value has more text after its closing \"."
    if "field larger than field limit" in text:
        return "one value is far too long."
    return text


def _header(line: int, cells: list[str], scope: str) -> dict[str, int]:
    """Column name -> position. Names are matched ignoring case, spaces and hyphens."""
    names = [HEADER_ALIASES.get(key, key) for key in (
        cell.strip().lower().replace(" ", "_").replace("-", "_") for cell in cells)]
    while names and not names[-1]:
        names.pop()  # spreadsheets often leave empty columns at the end
    accepted = ", ".join(COLUMNS)
    unknown = [cells[position].strip() or f"(column {position + 1} has no name)"
               for position, name in enumerate(names) if name not in COLUMNS]
    if unknown:
        raise ImportFileError(f"The header (line {line}) has unknown columns: "
                              f"{', '.join(unknown)}. Accepted columns: {accepted}.", line)
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ImportFileError(f"The header (line {line}) has these columns more than once: "
                              f"{', '.join(repeated)}.", line)
    missing = [name for name in REQUIRED_COLUMNS[scope] if name not in names]
    if missing:
        raise ImportFileError(
            f"The header (line {line}) is missing the columns {', '.join(missing)}. "
            f"Required: {', '.join(REQUIRED_COLUMNS[scope])}. Accepted columns: {accepted}.", line)
    return {name: position for position, name in enumerate(names)}


def _data_records(stream: IO[bytes], scope: str) -> tuple[dict[str, int], Iterator[Record]]:
    """The header's column positions, and the records under it."""
    records = _records(stream)
    first = next(records, None)
    if first is None:
        raise ImportFileError("The file is empty. The first line must name the columns: "
                              + ", ".join(COLUMNS))
    return _header(*first, scope), records


def check_header(*, upload: File, scope: str) -> None:
    """Raise ImportFileError when the upload's first line is not a usable header."""
    upload.seek(0)
    try:
        _data_records(upload, scope)
    finally:
        upload.seek(0)


def _count_lines(stream: IO[bytes]) -> int:
    lines, last = 0, b"\n"
    while chunk := stream.read(1024 * 1024):
        lines += chunk.count(b"\n")
        last = chunk[-1:]
    return lines + (last != b"\n")


# Checking one row --------------------------------------------------------------------------------


@dataclass(slots=True)
class Row:
    line: int
    email: str
    name: str
    union_id: int | None
    title: str
    year: int
    work_type: str
    job: str
    identifier: tuple[str, str] | None
    character: str
    member_number: str
    work_key: tuple[str, str, int]  # (type, title key, year): with the identifier, names a work


def _values(cells: list[str], columns: dict[str, int]) -> dict[str, str]:
    """Column -> trimmed value ("" when the row is short); the export's formula guard undone."""
    values = dict.fromkeys(COLUMNS, "")
    for column, position in columns.items():
        if position < len(cells):
            value = cells[position].strip()
            if value[:1] == "'" and value[1:2] in FORMULA_LEADS:
                value = value[1:].strip()
            values[column] = value
    return values


def _parse_year(text: str, latest: int) -> int:
    if not text.isdigit() or len(text) != 4:
        raise ValidationError(f"year '{text}' is not a four-digit year")
    year = int(text)
    if not EARLIEST_YEAR <= year <= latest:
        raise ValidationError(f"year {year} is impossible: it must be between {EARLIEST_YEAR} "
                              f"and {latest}")
    return year


class _Member:
    """A member a file's rows belong to: ids once known, and the memberships they will have."""

    __slots__ = ("user_id", "profile_id", "known_memberships", "memberships")

    def __init__(self, user_id: int | None = None, profile_id: int | None = None,
                 known_memberships: dict[int, str] | None = None):
        self.user_id, self.profile_id = user_id, profile_id
        # union id -> member number, as registered, and as it will be after the import.
        self.known_memberships = known_memberships or {}
        self.memberships = dict(self.known_memberships)


class _Work:
    """A work the file's rows name: its id (None until created) and identifiers."""

    __slots__ = ("id", "identifiers", "changed")

    def __init__(self, work_id: int | None = None, identifiers: dict[str, str] | None = None):
        self.id, self.identifiers, self.changed = work_id, identifiers or {}, False


Progress = Callable[[int, int], None]  # (rows checked, rows in the file, roughly)


class _Importer:
    """One import's two passes, and the maps from e-mails and work keys to ids they share."""

    def __init__(self, credit_import: CreditImport, *, on_progress: Progress | None = None):
        self.credit_import = credit_import
        self.scope = credit_import.scope
        self.unions = UnionVocabulary.load()
        self.on_progress = on_progress
        self.latest_year = timezone.now().year + 5  # works announced for the coming years count
        self.errors: list[dict] = []
        self.error_count = 0
        self.rows = 0
        self.members: dict[str, _Member] = {}
        # (union id, member number) -> the e-mail (from the file) or "#<profile id>" it belongs to.
        self.number_owners: dict[tuple[int, str], str] = {}
        self.works_by_key: dict[tuple[str, str, int], _Work] = {}
        self.works_by_identifier: dict[tuple[str, str], _Work] = {}
        self.new_user_ids: list[int] = []
        self.new_credit_ids: list[int] = []
        self.counts = dict.fromkeys(["credits_created", "credits_already_registered",
                                     "works_created", "accounts_created"], 0)
        if self.scope == ImportScope.MEMBER:
            member = credit_import.member
            self.member_email = member.user.email.lower()
            self.members[self.member_email] = _Member(member.user_id, member.pk)

    # Pass 1 -------------------------------------------------------------------------------------

    def check(self) -> None:
        with self.credit_import.file.open("rb") as stream:
            total = max(_count_lines(stream) - 1, 0)
        CreditImport.objects.filter(pk=self.credit_import.pk).update(rows_total=total)
        with self.credit_import.file.open("rb") as stream:
            columns, records = _data_records(stream, self.scope)
            for chunk in batched(self._parsed(records, columns, total), BATCH_SIZE):
                self._check_chunk([row for row in chunk if row is not None])
        if not self.rows:
            raise ImportFileError("The file has no rows under the header.")
        CreditImport.objects.filter(pk=self.credit_import.pk).update(rows_total=self.rows,
                                                                     rows_checked=self.rows)

    def _parsed(self, records: Iterable[Record], columns: dict[str, int],
                total: int) -> Iterator[Row | None]:
        """Each record as a Row, or None after recording its problems; progress every 1,000."""
        for line, cells in records:
            self.rows += 1
            if self.scope == ImportScope.MEMBER and self.rows > MEMBER_MAX_ROWS:
                raise ImportFileError(
                    f"The file has more than {MEMBER_MAX_ROWS:,} rows (line {line}). Split it into "
                    "smaller files, or ask your union office to import it.", line)
            if self.rows % PROGRESS_EVERY == 0:
                CreditImport.objects.filter(pk=self.credit_import.pk).update(rows_checked=self.rows)
                if self.on_progress:
                    self.on_progress(self.rows, total)
            try:
                yield self._parse(line, cells, columns)
            except RowError as error:
                self._error(line, str(error))
                yield None

    def _parse(self, line: int, cells: list[str], columns: dict[str, int]) -> Row:
        """A row whose every value is well-formed, or RowError listing each problem."""
        if any("\x00" in value for value in cells):
            raise RowError("contains a NUL byte; this does not look like a text CSV file")
        problems: list[str] = []
        if len(cells) > len(columns) and any(value.strip() for value in cells[len(columns):]):
            problems.append(f"has {len(cells)} values but the header names {len(columns)} columns")
        values = _values(cells, columns)

        def parsed(column: str, parse: Callable[[str], object], required: bool = True):
            if not values[column]:
                if required:
                    problems.append(f"{column} is empty")
                return None
            try:
                return parse(values[column])
            except ValidationError as error:
                problems.append(" ".join(error.messages).rstrip("."))

        for column, limit in [("name", 200), ("title", 500), ("character", 200),
                              ("member_number", 40)]:
            if len(values[column]) > limit:
                problems.append(f"{column} is longer than {limit} characters")
        email = values["email"].lower()
        if self.scope == ImportScope.MEMBER:
            if email and email != self.member_email:
                problems.append(f"this row is for {email}, but you can only import your own "
                                "credits: leave the email column empty or use your own address")
            email = self.member_email
        elif email not in self.members:  # an address already looked up was valid
            parsed("email", validate_email)
        union = parsed("union", self.unions.union_from_text,
                       required=self.scope == ImportScope.ROSTER)
        if not values["title"]:
            problems.append("title is empty")
        year = parsed("year", lambda text: _parse_year(text, self.latest_year))
        work_type = parsed("work_type", work_type_from_text)
        job = parsed("job", job_from_text)
        identifier = parsed("identifier", detect_and_normalize, required=False)
        if problems:
            raise RowError("; ".join(problems))
        title = values["title"]
        roster = self.scope == ImportScope.ROSTER
        return Row(line=line, email=email, name=values["name"],
                   union_id=union.pk if union else None, title=title, year=year,
                   work_type=work_type, job=job, identifier=identifier,
                   character=values["character"],
                   member_number=values["member_number"] if roster else "",
                   work_key=(work_type, work_key(title=title, work_type=work_type), year))

    def _error(self, line: int, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append({"line": line, "reason": reason[0].upper() + reason[1:] + "."})

    def _check_chunk(self, rows: list[Row]) -> None:
        """Look up what the database has for a chunk of rows, then check each row against it."""
        if self.scope == ImportScope.ROSTER:
            self._load_members({row.email for row in rows} - self.members.keys())
            self._load_number_owners({(row.union_id, row.member_number)
                                      for row in rows if row.member_number})
        self._load_works(rows)
        for row in rows:
            problems = [self._check_member(row), self._check_work(row)]
            problems = [problem for problem in problems if problem]
            if problems:
                self._error(row.line, "; ".join(problems))

    def _load_members(self, emails: set[str]) -> None:
        if not emails:
            return
        # order_by(): the models' default orderings would add joins and sorts to every lookup.
        found = dict(User.objects.annotate(address=Lower("email")).filter(address__in=emails)
                     .order_by().values_list("address", "id"))
        # A verified second address is theirs too; an unverified one proves nothing.
        other_addresses = (EmailAddress.objects.annotate(address=Lower("email"))
                           .filter(verified=True, address__in=emails - found.keys()))
        found |= dict(other_addresses.order_by().values_list("address", "user_id"))
        profiles = dict(MemberProfile.objects.filter(user_id__in=found.values())
                        .order_by().values_list("user_id", "id"))
        memberships: dict[int, dict[int, str]] = defaultdict(dict)
        registered = Membership.objects.filter(member_id__in=profiles.values()).order_by()
        for profile_id, union_id, number in registered.values_list("member_id", "union_id",
                                                                   "member_number"):
            memberships[profile_id][union_id] = number
        for email in emails:
            user_id = found.get(email)
            profile_id = profiles.get(user_id)
            self.members[email] = _Member(user_id, profile_id, memberships.get(profile_id))

    def _load_number_owners(self, numbers: set[tuple[int, str]]) -> None:
        numbers -= self.number_owners.keys()
        if not numbers:
            return
        registered = Membership.objects.filter(
            union_id__in={union for union, _ in numbers},
            member_number__in={number for _, number in numbers}).order_by()
        for union_id, number, profile_id in registered.values_list("union_id", "member_number",
                                                                   "member_id"):
            if (union_id, number) in numbers:
                self.number_owners[(union_id, number)] = f"#{profile_id}"

    def _check_member(self, row: Row) -> str | None:
        if self.scope == ImportScope.MEMBER:
            return None
        member = self.members[row.email]
        if member.user_id is None and not row.name:
            return f"name is empty, and it is needed to create the account for {row.email}"
        union_label = self.unions.union_by_id(row.union_id).short_name
        registered = member.memberships.get(row.union_id)
        if not row.member_number:
            member.memberships.setdefault(row.union_id, "")
            return None
        owner = self.number_owners.get((row.union_id, row.member_number))
        if owner is not None and owner not in (row.email, f"#{member.profile_id}"):
            return (f"member number {row.member_number} in {union_label} already belongs to "
                    "another member")
        if registered and registered != row.member_number:
            return (f"{row.email} is already in {union_label} with member number {registered}, "
                    f"not {row.member_number}")
        member.memberships[row.union_id] = row.member_number
        self.number_owners[(row.union_id, row.member_number)] = row.email
        return None

    def _load_works(self, rows: list[Row]) -> None:
        identifiers: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            if row.identifier and row.identifier not in self.works_by_identifier:
                identifiers[row.identifier[0]].add(row.identifier[1])
        fields = ("id", "work_type", "title_key", "year", *IDENTIFIER_FIELDS)
        for field, values in identifiers.items():
            for work in Work.objects.filter(**{f"{field}__in": values}).order_by().values(*fields):
                self._remember_work(work)
        keys = {row.work_key for row in rows} - self.works_by_key.keys()
        if keys:
            same_titles = Work.objects.filter(title_key__in={key for _, key, _ in keys})
            for work in same_titles.order_by().values(*fields):
                if (work["work_type"], work["title_key"], work["year"]) in keys:
                    self._remember_work(work)

    def _remember_work(self, work: dict) -> None:
        ref = _Work(work["id"], {field: work[field] for field in IDENTIFIER_FIELDS if work[field]})
        key = (work["work_type"], work["title_key"], work["year"])
        ref = self.works_by_key.setdefault(key, ref)
        for field, value in ref.identifiers.items():
            self.works_by_identifier.setdefault((field, value), ref)

    def _work_for(self, row: Row) -> _Work | None:
        """The work a row means: the one with its identifier, else with its title, year and type."""
        if row.identifier and row.identifier in self.works_by_identifier:
            return self.works_by_identifier[row.identifier]
        return self.works_by_key.get(row.work_key)

    def _check_work(self, row: Row) -> str | None:
        """Remember the row's work (new or registered); refuse an identifier that contradicts
        the one the work already has."""
        ref = self._work_for(row)
        if ref is None:
            ref = self.works_by_key[row.work_key] = _Work()
        if row.identifier and row.identifier not in self.works_by_identifier:
            field, value = row.identifier
            current = ref.identifiers.get(field)
            if current and current != value:
                where = "is already registered" if ref.id else "is given on an earlier line"
                return (f"“{row.title}” ({row.year}) {where} with {IDENTIFIER_LABELS[field]} "
                        f"{current}, not {value}. If yours is a different work, check the title, "
                        "year and identifier")
            ref.identifiers[field] = value
            ref.changed = ref.id is not None
            self.works_by_identifier[row.identifier] = ref
        return None

    # Pass 2 -------------------------------------------------------------------------------------

    def write(self, *, site_url: str) -> None:
        """Write every row, in one transaction; the import is DONE in that same transaction."""
        with transaction.atomic(), self.credit_import.file.open("rb") as stream:
            columns, records = _data_records(stream, self.scope)
            for chunk in batched(records, BATCH_SIZE):
                rows = [self._parse(line, cells, columns) for line, cells in chunk]
                self._create_accounts(rows)
                self._create_works(rows)
                self._create_credits(rows)
            self._save_work_identifiers()
            self._save_memberships()
            _transition(self.credit_import.pk, ImportStatus.RUNNING, ImportStatus.DONE,
                        **self.counts)
            new_user_ids, new_credit_ids = self.new_user_ids, self.new_credit_ids
            transaction.on_commit(
                lambda: _queue_follow_ups(user_ids=new_user_ids, credit_ids=new_credit_ids,
                                          site_url=site_url))

    def _create_accounts(self, rows: list[Row]) -> None:
        names: dict[str, str] = {}
        for row in rows:
            if self.members[row.email].profile_id is None:
                names.setdefault(row.email, row.name)
        new = [email for email in names if self.members[email].user_id is None]
        users = User.objects.bulk_create(User(email=email, password=make_password(None))
                                         for email in new)
        EmailAddress.objects.bulk_create(
            EmailAddress(user=user, email=user.email, primary=True, verified=False)
            for user in users)
        for user in users:
            self.members[user.email].user_id = user.pk
            self.new_user_ids.append(user.pk)
        self.counts["accounts_created"] += len(users)
        # New accounts, and existing accounts that never had a member profile (union staff, say).
        profiles = MemberProfile.objects.bulk_create(
            MemberProfile(user_id=self.members[email].user_id, legal_name=name)
            for email, name in names.items())
        for email, profile in zip(names, profiles):
            self.members[email].profile_id = profile.pk

    def _create_works(self, rows: list[Row]) -> None:
        new: dict[int, tuple[_Work, Work]] = {}
        for row in rows:
            ref = self._work_for(row)
            if ref.id is None and id(ref) not in new:
                work_type, key, year = row.work_key
                new[id(ref)] = (ref, Work(title=row.title, title_key=key, work_type=work_type,
                                          year=year, **ref.identifiers))
        created = Work.objects.bulk_create(work for _, work in new.values())
        for (ref, _), work in zip(new.values(), created):
            ref.id = work.pk
        self.counts["works_created"] += len(created)

    def _create_credits(self, rows: list[Row]) -> None:
        wanted: dict[tuple[int, int, str], str] = {}
        for row in rows:
            key = (self.members[row.email].profile_id, self._work_for(row).id, row.job)
            wanted.setdefault(key, row.character)
        # By member only: a second IN list on work makes SQLite probe every (member, work) pair.
        registered = set(Credit.objects.filter(member_id__in={member for member, _, _ in wanted})
                         .order_by().values_list("member_id", "work_id", "job"))
        new = [Credit(member_id=member, work_id=work, job=job, category=JOB_CATEGORY[job],
                      credited_as=character)
               for (member, work, job), character in wanted.items()
               if (member, work, job) not in registered]
        # ignore_conflicts: a member adding the same credit by hand meanwhile is not an error.
        Credit.objects.bulk_create(new, ignore_conflicts=True)
        if new:  # ignore_conflicts returns no ids; training-set matching needs them
            keys = {(credit.member_id, credit.work_id, credit.job) for credit in new}
            for pk, *key in (Credit.objects.filter(member_id__in={member for member, _, _ in keys})
                             .order_by().values_list("pk", "member_id", "work_id", "job")):
                if tuple(key) in keys:
                    self.new_credit_ids.append(pk)
        self.counts["credits_created"] += len(new)
        self.counts["credits_already_registered"] += len(rows) - len(new)

    def _save_work_identifiers(self) -> None:
        """Registered works that gained an identifier from the file."""
        refs = set(self.works_by_key.values()) | set(self.works_by_identifier.values())
        changed = [Work(pk=ref.id, **{field: ref.identifiers.get(field)
                                      for field in IDENTIFIER_FIELDS})
                   for ref in refs if ref.changed]
        Work.objects.bulk_update(changed, IDENTIFIER_FIELDS, batch_size=BATCH_SIZE)

    def _save_memberships(self) -> None:
        new, numbered = [], []
        for member in self.members.values():
            for union_id, number in member.memberships.items():
                if union_id not in member.known_memberships:
                    new.append(Membership(member_id=member.profile_id, union_id=union_id,
                                          member_number=number))
                elif number and not member.known_memberships[union_id]:
                    numbered.append((member.profile_id, union_id, number))
        Membership.objects.bulk_create(new, batch_size=BATCH_SIZE)
        for profile_id, union_id, number in numbered:
            Membership.objects.filter(member_id=profile_id,
                                      union_id=union_id).update(member_number=number)


# The import as a whole ----------------------------------------------------------------------------


def credit_import_create(*, scope: str, uploaded_by: User, upload: File,
                         member: MemberProfile | None = None) -> CreditImport:
    """Store an uploaded CSV privately (under a random name) as a new, queued import."""
    original_name = (upload.name or "credits.csv").rsplit("/", 1)[-1][:255]
    credit_import = CreditImport(scope=scope, uploaded_by=uploaded_by, member=member,
                                 original_name=original_name)
    credit_import.file.save("credits.csv", upload, save=False)
    credit_import.save()
    return credit_import


def credit_import_queue(*, credit_import: CreditImport, site_url: str) -> None:
    """Hand the import to a Celery worker once the row is committed."""
    from ..tasks import credit_import_run

    transaction.on_commit(
        lambda: credit_import_run.delay(import_id=credit_import.pk, site_url=site_url))


def _transition(import_id: int, old: str, new: str, **fields) -> bool:
    """Move an import from `old` to `new`; False when it is no longer in `old` (someone else
    has moved it), so two workers can never both run one import."""
    if new not in ALLOWED_TRANSITIONS.get(old, set()):
        raise ValueError(f"An import cannot go from {old} to {new}")
    stamp = "started_at" if new == ImportStatus.RUNNING else "finished_at"
    rows = CreditImport.objects.filter(pk=import_id, status=old)
    if old == new == ImportStatus.RUNNING:
        rows = rows.filter(started_at__lt=timezone.now() - STALE_RUNNING_AFTER)
    updated = rows.update(status=new, **{stamp: timezone.now()}, **fields)
    return updated == 1


def credit_import_process(*, import_id: int, site_url: str,
                          on_progress: Progress | None = None) -> CreditImport | None:
    """Check, then (when every row is fine) write one queued import; None if it was not queued.

    Safe to call twice for one import: only the call that moves it from QUEUED to RUNNING
    works on it. An unexpected exception marks the import CRASHED (nothing is written) and
    is logged, not raised. New accounts are invited by e-mail after commit.
    """
    if not (_transition(import_id, ImportStatus.QUEUED, ImportStatus.RUNNING)
            or _transition(import_id, ImportStatus.RUNNING, ImportStatus.RUNNING)):
        return None
    credit_import = CreditImport.objects.select_related("member__user").get(pk=import_id)
    try:
        importer = _Importer(credit_import, on_progress=on_progress)
        importer.check()
        if importer.error_count:
            _transition(import_id, ImportStatus.RUNNING, ImportStatus.FAILED,
                        errors=importer.errors, error_count=importer.error_count)
        else:
            importer.write(site_url=site_url)
    except ImportFileError as error:
        _transition(import_id, ImportStatus.RUNNING, ImportStatus.FAILED,
                    errors=[{"line": error.line, "reason": error.reason}], error_count=1)
    except Exception:
        logger.exception("Credit import %s crashed", import_id)
        reason = ("The import stopped because of an internal error; nothing was imported. "
                  "The union office has been told.")
        _transition(import_id, ImportStatus.RUNNING, ImportStatus.CRASHED, error_count=1,
                    errors=[{"line": None, "reason": reason}])
    credit_import.refresh_from_db()
    return credit_import


# After an import: invitations and matching ------------------------------------------------


def _queue_follow_ups(*, user_ids: list[int], credit_ids: list[int], site_url: str) -> None:
    """What follows a written import: invitations to new members, and the search for the new
    credits in training sets (as after a credit added by hand), both in small batches."""
    from claims.tasks import credits_match_task

    from ..tasks import account_invitations_send

    for batch in batched(user_ids, INVITATION_BATCH):
        account_invitations_send.delay(user_ids=list(batch), site_url=site_url)
    for batch in batched(credit_ids, MATCH_BATCH):
        credits_match_task.delay(credit_ids=list(batch))


def account_invitations_send(*, user_ids: list[int], site_url: str) -> int:
    """E-mail each new, unclaimed account an invitation to set a password; returns how many.

    Accounts already claimed (a usable password, or a login) are skipped, so a
    redelivered task does not invite someone who has already signed in.
    """
    reset_url = site_url.rstrip("/") + reverse("account_reset_password")
    users = (User.objects.filter(pk__in=user_ids, last_login__isnull=True)
             .select_related("profile").prefetch_related("profile__memberships__union")
             .annotate(credit_count=Count("profile__credits")))
    messages = []
    for user in users:
        if user.has_usable_password():
            continue
        profile = getattr(user, "profile", None)
        memberships = profile.memberships.all() if profile else []
        context = {
            "email": user.email,
            "name": profile.legal_name if profile else "",
            "unions": [membership.union.short_name for membership in memberships],
            "credit_count": user.credit_count,
            "reset_url": reset_url,
            "site_url": site_url.rstrip("/"),
        }
        subject = render_to_string("emails/account_invitation_subject.txt", context).strip()
        body = render_to_string("emails/account_invitation_message.txt", context)
        messages.append(EmailMessage(settings.EMAIL_SUBJECT_PREFIX + subject, body,
                                     to=[user.email]))
    if messages:
        mailers.default.send_messages(messages)
    return len(messages)
