"""Pass 2 of an import: accounts, works, credits and memberships written in batches.

Runs only after pass 1 found no problem, in one transaction that also marks the import
DONE. After commit, new members are invited and the new credits are searched for in
training sets, both as Celery tasks in small batches.
"""

from itertools import batched

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction

from members.enums import JOB_CATEGORY, ImportStatus
from members.models import Credit, MemberProfile, Membership, User, Work
from members.services.credit_import.checking import BATCH_SIZE, ImportChecker, Row, WorkRef
from members.services.credit_import.reading import data_records
from members.services.credit_import.status import transition
from members.services.works import IDENTIFIER_FIELDS
from members.signals import credits_changed
from portal.celery import task_queue_in_batches

INVITATION_BATCH = 500


def _assigned(pk: int | None) -> int:
    """An id known by now: pass 1 found the registered ones, and each step here creates the rows the
    next one needs (accounts before profiles, profiles and works before credits)."""
    if pk is None:
        raise RuntimeError("An import row refers to a member or work that was never created.")
    return pk


class ImportWriter:
    """Writes what a checked import's rows add, using the ids its checker already found."""

    def __init__(self, checker: ImportChecker):
        self.checker = checker
        self.members = checker.members
        self.new_user_ids: list[int] = []
        self.new_credit_ids: list[int] = []
        self.counts = dict.fromkeys(
            ["credits_created", "credits_already_registered", "works_created", "accounts_created"], 0
        )

    def write(self, *, site_url: str) -> None:
        """Write every row, in one transaction; the import is DONE in that same transaction."""
        credit_import = self.checker.credit_import
        with transaction.atomic(), credit_import.file.open("rb") as stream:
            columns, records = data_records(stream, self.checker.scope)
            for chunk in batched(records, BATCH_SIZE):
                rows = [self.checker.parse(line, cells, columns) for line, cells in chunk]
                self._create_accounts(rows)
                self._create_works(rows)
                self._create_credits(rows)
            self._save_work_identifiers()
            self._save_memberships()
            transition(credit_import.pk, ImportStatus.RUNNING, ImportStatus.DONE, **self.counts)
            _queue_follow_ups(user_ids=self.new_user_ids, credit_ids=self.new_credit_ids, site_url=site_url)

    def _create_accounts(self, rows: list[Row]) -> None:
        names: dict[str, str] = {}
        for row in rows:
            if self.members[row.email].profile_id is None:
                names.setdefault(row.email, row.name)
        new = [email for email in names if self.members[email].user_id is None]
        users = User.objects.bulk_create(User(email=email, password=make_password(None)) for email in new)
        EmailAddress.objects.bulk_create(
            EmailAddress(user=user, email=user.email, primary=True, verified=False) for user in users
        )
        for user in users:
            self.members[user.email].user_id = user.pk
            self.new_user_ids.append(user.pk)
        self.counts["accounts_created"] += len(users)
        # New accounts, and existing accounts that never had a member profile (union staff, say).
        profiles = MemberProfile.objects.bulk_create(
            MemberProfile(user_id=_assigned(self.members[email].user_id), legal_name=name)
            for email, name in names.items()
        )
        for email, profile in zip(names, profiles, strict=True):
            self.members[email].profile_id = profile.pk

    def _create_works(self, rows: list[Row]) -> None:
        new: dict[int, tuple[WorkRef, Work]] = {}
        for row in rows:
            ref = self.checker.work_for(row)
            assert ref is not None  # pass 1 remembered every row's work
            if ref.id is None and id(ref) not in new:
                work_type, key, year = row.work_key
                new[id(ref)] = (
                    ref,
                    Work(title=row.title, title_key=key, work_type=work_type, year=year, **ref.identifiers),
                )
        created = Work.objects.bulk_create(work for _, work in new.values())
        for (ref, _), work in zip(new.values(), created, strict=True):
            ref.id = work.pk
        self.counts["works_created"] += len(created)

    def _create_credits(self, rows: list[Row]) -> None:
        wanted: dict[tuple[int, int, str], str] = {}
        for row in rows:
            work = self.checker.work_for(row)
            assert work is not None  # pass 1 remembered every row's work
            key = (_assigned(self.members[row.email].profile_id), _assigned(work.id), row.job)
            wanted.setdefault(key, row.character)
        # By member only: a second IN list on work makes SQLite probe every (member, work) pair.
        registered = set(
            Credit.objects.filter(member_id__in={member for member, _, _ in wanted})
            .order_by()
            .values_list("member_id", "work_id", "job")
        )
        new = [
            Credit(member_id=member, work_id=work, job=job, category=JOB_CATEGORY[job], credited_as=character)
            for (member, work, job), character in wanted.items()
            if (member, work, job) not in registered
        ]
        # ignore_conflicts: a member adding the same credit by hand meanwhile is not an error.
        Credit.objects.bulk_create(new, ignore_conflicts=True)
        if new:  # ignore_conflicts returns no ids; training-set matching needs them
            keys = {(credit.member_id, credit.work_id, credit.job) for credit in new}
            for pk, *credit_key in (
                Credit.objects.filter(member_id__in={member for member, _, _ in keys})
                .order_by()
                .values_list("pk", "member_id", "work_id", "job")
            ):
                if tuple(credit_key) in keys:
                    self.new_credit_ids.append(pk)
        self.counts["credits_created"] += len(new)
        self.counts["credits_already_registered"] += len(rows) - len(new)

    def _save_work_identifiers(self) -> None:
        """Registered works that gained an identifier from the file."""
        refs = set(self.checker.works_by_key.values()) | set(self.checker.works_by_identifier.values())
        changed = [
            Work(pk=ref.id, **{field: ref.identifiers.get(field) for field in IDENTIFIER_FIELDS})
            for ref in refs
            if ref.changed
        ]
        Work.objects.bulk_update(changed, IDENTIFIER_FIELDS, batch_size=BATCH_SIZE)

    def _save_memberships(self) -> None:
        new, numbered = [], []
        for member in self.members.values():
            for union_id, number in member.memberships.items():
                if union_id not in member.known_memberships:
                    new.append(
                        Membership(member_id=_assigned(member.profile_id), union_id=union_id, member_number=number)
                    )
                elif number and not member.known_memberships[union_id]:
                    numbered.append((member.profile_id, union_id, number))
        Membership.objects.bulk_create(new, batch_size=BATCH_SIZE)
        for profile_id, union_id, number in numbered:
            Membership.objects.filter(member_id=profile_id, union_id=union_id).update(member_number=number)


def _queue_follow_ups(*, user_ids: list[int], credit_ids: list[int], site_url: str) -> None:
    """What follows a written import, once it is committed: invitations to new members in small
    batches, and the search for the new credits in training sets (as after a credit added by hand)."""
    task_queue_in_batches(
        "members.account_invitations_send",
        ids=user_ids,
        batch_size=INVITATION_BATCH,
        ids_as="user_ids",
        site_url=site_url,
    )
    if credit_ids:
        credits_changed.send(sender=Credit, credit_ids=credit_ids)
