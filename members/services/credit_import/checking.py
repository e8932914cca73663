"""Pass 1 of an import: every row checked against the vocabulary and what is registered.

Checking writes nothing but the import's progress counters. It leaves behind the maps
pass 2 writes from: e-mail -> member, work key and identifier -> work, each with the
ids already registered (None for what the import will create).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import batched
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils import timezone

from members.enums import ImportScope
from members.identifiers import detect_and_normalize
from members.models import EARLIEST_YEAR, CreditImport, MemberProfile, Membership, User, Work
from members.services.credit_import.reading import (
    COLUMNS,
    ImportFileError,
    Record,
    count_lines,
    data_records,
)
from members.services.works import IDENTIFIER_FIELDS, IDENTIFIER_LABELS, work_key
from members.vocabulary import UnionVocabulary, job_from_text, work_type_from_text
from portal.spreadsheets import FORMULA_LEADS

MEMBER_MAX_ROWS = 5_000
MAX_STORED_ERRORS = 1_000
BATCH_SIZE = 2_000
PROGRESS_EVERY = 1_000


class RowError(Exception):
    """One row's problems, in words a member can act on."""


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
        raise ValidationError(f"year {year} is impossible: it must be between {EARLIEST_YEAR} and {latest}")
    return year


class MemberRef:
    """A member a file's rows belong to: ids once known, and the memberships they will have."""

    __slots__ = ("known_memberships", "memberships", "profile_id", "user_id")

    def __init__(
        self, user_id: int | None = None, profile_id: int | None = None, known_memberships: dict[int, str] | None = None
    ):
        self.user_id, self.profile_id = user_id, profile_id
        # union id -> member number, as registered, and as it will be after the import.
        self.known_memberships = known_memberships or {}
        self.memberships = dict(self.known_memberships)


class WorkRef:
    """A work the file's rows name: its id (None until created) and identifiers."""

    __slots__ = ("changed", "id", "identifiers")

    def __init__(self, work_id: int | None = None, identifiers: dict[str, str] | None = None):
        self.id, self.identifiers, self.changed = work_id, identifiers or {}, False


Progress = Callable[[int, int], None]  # (rows checked, rows in the file, roughly)


class ImportChecker:
    """One import's pass 1, and the maps from e-mails and work keys to ids that pass 2 shares."""

    def __init__(self, credit_import: CreditImport, *, on_progress: Progress | None = None):
        self.credit_import = credit_import
        self.scope = credit_import.scope
        self.unions = UnionVocabulary.load()
        self.on_progress = on_progress
        self.latest_year = timezone.now().year + 5  # works announced for the coming years count
        self.errors: list[dict[str, Any]] = []
        self.error_count = 0
        self.rows = 0
        self.members: dict[str, MemberRef] = {}
        # (union id, member number) -> the e-mail (from the file) or "#<profile id>" it belongs to.
        self.number_owners: dict[tuple[int, str], str] = {}
        self.works_by_key: dict[tuple[str, str, int], WorkRef] = {}
        self.works_by_identifier: dict[tuple[str, str], WorkRef] = {}
        if self.scope == ImportScope.MEMBER:
            member = credit_import.member
            assert member is not None  # a member's own import always names them
            self.member_email = member.user.email.lower()
            self.members[self.member_email] = MemberRef(member.user_id, member.pk)

    def check(self) -> None:
        """Check every row, recording problems in `errors`; counts rows on the import as it goes."""
        with self.credit_import.file.open("rb") as stream:
            total = max(count_lines(stream) - 1, 0)
        CreditImport.objects.filter(pk=self.credit_import.pk).update(rows_total=total)
        with self.credit_import.file.open("rb") as stream:
            columns, records = data_records(stream, self.scope)
            for chunk in batched(self._parsed(records, columns, total), BATCH_SIZE):
                self._check_chunk([row for row in chunk if row is not None])
        if not self.rows:
            raise ImportFileError("The file has no rows under the header.")
        CreditImport.objects.filter(pk=self.credit_import.pk).update(rows_total=self.rows, rows_checked=self.rows)

    def _parsed(self, records: Iterable[Record], columns: dict[str, int], total: int) -> Iterator[Row | None]:
        """Each record as a Row, or None after recording its problems; progress every 1,000."""
        for line, cells in records:
            self.rows += 1
            if self.scope == ImportScope.MEMBER and self.rows > MEMBER_MAX_ROWS:
                raise ImportFileError(
                    f"The file has more than {MEMBER_MAX_ROWS:,} rows (line {line}). Split it into "
                    "smaller files, or ask your union office to import it.",
                    line,
                )
            if self.rows % PROGRESS_EVERY == 0:
                CreditImport.objects.filter(pk=self.credit_import.pk).update(rows_checked=self.rows)
                if self.on_progress:
                    self.on_progress(self.rows, total)
            try:
                yield self.parse(line, cells, columns)
            except RowError as error:
                self._error(line, str(error))
                yield None

    def parse(self, line: int, cells: list[str], columns: dict[str, int]) -> Row:
        """A row whose every value is well-formed, or RowError listing each problem."""
        if any("\x00" in value for value in cells):
            raise RowError("contains a NUL byte; this does not look like a text CSV file")
        problems: list[str] = []
        if len(cells) > len(columns) and any(value.strip() for value in cells[len(columns) :]):
            problems.append(f"has {len(cells)} values but the header names {len(columns)} columns")
        values = _values(cells, columns)

        def parsed(column: str, parse: Callable[[str], Any], required: bool = True) -> Any:
            if not values[column]:
                if required:
                    problems.append(f"{column} is empty")
                return None
            try:
                return parse(values[column])
            except ValidationError as error:
                problems.append(" ".join(error.messages).rstrip("."))

        for column, limit in [("name", 200), ("title", 500), ("character", 200), ("member_number", 40)]:
            if len(values[column]) > limit:
                problems.append(f"{column} is longer than {limit} characters")
        email = values["email"].lower()
        if self.scope == ImportScope.MEMBER:
            if email and email != self.member_email:
                problems.append(
                    f"this row is for {email}, but you can only import your own "
                    "credits: leave the email column empty or use your own address"
                )
            email = self.member_email
        elif email not in self.members:  # an address already looked up was valid
            parsed("email", validate_email)
        union = parsed("union", self.unions.union_from_text, required=self.scope == ImportScope.ROSTER)
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
        return Row(
            line=line,
            email=email,
            name=values["name"],
            union_id=union.pk if union else None,
            title=title,
            year=year,
            work_type=work_type,
            job=job,
            identifier=identifier,
            character=values["character"],
            member_number=values["member_number"] if roster else "",
            work_key=(work_type, work_key(title=title, work_type=work_type), year),
        )

    def _error(self, line: int, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append({"line": line, "reason": reason[0].upper() + reason[1:] + "."})

    def _check_chunk(self, rows: list[Row]) -> None:
        """Look up what the database has for a chunk of rows, then check each row against it."""
        if self.scope == ImportScope.ROSTER:
            self._load_members({row.email for row in rows} - self.members.keys())
            self._load_number_owners(
                # A roster row always names its union (parse requires it); the test is for the types.
                {(row.union_id, row.member_number) for row in rows if row.member_number and row.union_id is not None}
            )
        self._load_works(rows)
        for row in rows:
            problems = [problem for problem in (self._check_member(row), self._check_work(row)) if problem]
            if problems:
                self._error(row.line, "; ".join(problems))

    def _load_members(self, emails: set[str]) -> None:
        if not emails:
            return
        # order_by(): the models' default orderings would add joins and sorts to every lookup.
        found = dict(
            User.objects.annotate(address=Lower("email"))
            .filter(address__in=emails)
            .order_by()
            .values_list("address", "id")
        )
        # A verified second address is theirs too; an unverified one proves nothing.
        other_addresses = EmailAddress.objects.annotate(address=Lower("email")).filter(
            verified=True, address__in=emails - found.keys()
        )
        found |= dict(other_addresses.order_by().values_list("address", "user_id"))
        profiles = dict(
            MemberProfile.objects.filter(user_id__in=found.values()).order_by().values_list("user_id", "id")
        )
        memberships: dict[int, dict[int, str]] = defaultdict(dict)
        registered = Membership.objects.filter(member_id__in=profiles.values()).order_by()
        for member_id, union_id, number in registered.values_list("member_id", "union_id", "member_number"):
            memberships[member_id][union_id] = number
        for email in emails:
            user_id = found.get(email)
            profile_id = profiles.get(user_id) if user_id is not None else None
            self.members[email] = MemberRef(
                user_id, profile_id, memberships.get(profile_id) if profile_id is not None else None
            )

    def _load_number_owners(self, numbers: set[tuple[int, str]]) -> None:
        numbers -= self.number_owners.keys()
        if not numbers:
            return
        registered = Membership.objects.filter(
            union_id__in={union for union, _ in numbers}, member_number__in={number for _, number in numbers}
        ).order_by()
        for union_id, number, profile_id in registered.values_list("union_id", "member_number", "member_id"):
            if (union_id, number) in numbers:
                self.number_owners[(union_id, number)] = f"#{profile_id}"

    def _check_member(self, row: Row) -> str | None:
        if self.scope == ImportScope.MEMBER:
            return None
        member = self.members[row.email]
        if member.user_id is None and not row.name:
            return f"name is empty, and it is needed to create the account for {row.email}"
        union_id = row.union_id
        assert union_id is not None  # a roster row always names its union (parse requires it)
        union_label = self.unions.union_by_id(union_id).short_name
        registered = member.memberships.get(union_id)
        if not row.member_number:
            member.memberships.setdefault(union_id, "")
            return None
        owner = self.number_owners.get((union_id, row.member_number))
        if owner is not None and owner not in (row.email, f"#{member.profile_id}"):
            return f"member number {row.member_number} in {union_label} already belongs to another member"
        if registered and registered != row.member_number:
            return f"{row.email} is already in {union_label} with member number {registered}, not {row.member_number}"
        member.memberships[union_id] = row.member_number
        self.number_owners[(union_id, row.member_number)] = row.email
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

    def _remember_work(self, work: dict[str, Any]) -> None:
        ref = WorkRef(work["id"], {field: work[field] for field in IDENTIFIER_FIELDS if work[field]})
        key = (work["work_type"], work["title_key"], work["year"])
        ref = self.works_by_key.setdefault(key, ref)
        for field, value in ref.identifiers.items():
            self.works_by_identifier.setdefault((field, value), ref)

    def work_for(self, row: Row) -> WorkRef | None:
        """The work a row means: the one with its identifier, else with its title, year and type."""
        if row.identifier and row.identifier in self.works_by_identifier:
            return self.works_by_identifier[row.identifier]
        return self.works_by_key.get(row.work_key)

    def _check_work(self, row: Row) -> str | None:
        """Remember the row's work (new or registered); refuse an identifier that contradicts
        the one the work already has."""
        ref = self.work_for(row)
        if ref is None:
            ref = self.works_by_key[row.work_key] = WorkRef()
        if row.identifier and row.identifier not in self.works_by_identifier:
            field, value = row.identifier
            current = ref.identifiers.get(field)
            if current and current != value:
                where = "is already registered" if ref.id else "is given on an earlier line"
                return (
                    f"“{row.title}” ({row.year}) {where} with {IDENTIFIER_LABELS[field]} "
                    f"{current}, not {value}. If yours is a different work, check the title, "
                    "year and identifier"
                )
            ref.identifiers[field] = value
            ref.changed = ref.id is not None
            self.works_by_identifier[row.identifier] = ref
        return None
