"""Residual pools, statement runs and statements: the one place each changes state.

Each of the three has one transition function, modelled on `claim_transition`: the move is checked
against its table (a move the table does not list is a bug in the caller: TransitionNotAllowed),
then the row is moved with a conditional update, `filter(pk=..., status=old).update(status=new, ...)`,
which sets the new state's timestamp and the fields that go with it. The update hits the row only if
it is still in the state the caller saw, so of two workers, two tabs or two deliveries making the
same move exactly one does it: the other hits no row, changes nothing and gets False (a lost race is
not an error). On True the instance passed in carries the new values.

A row is created in its first state (a draft pool, a running run, a pending statement); after that,
nothing else writes these statuses. Callers queue what follows (renders, emails) after commit.
"""

from decimal import Decimal

from django.db.models import Model
from django.utils import timezone

from claims.enums import PoolStatus, StatementRunStatus, StatementStatus
from claims.models import ResidualPool, Statement, StatementRun

ERROR_MAX_CHARS = 2000

# (from, to) -> the timestamp the move sets, if any.
POOL_TRANSITIONS: dict[tuple[str, str], str | None] = {
    (PoolStatus.DRAFT, PoolStatus.ISSUED): "issued_at",
}

RUN_TRANSITIONS: dict[tuple[str, str], str | None] = {
    (StatementRunStatus.RUNNING, StatementRunStatus.DONE): "finished_at",
    (StatementRunStatus.RUNNING, StatementRunStatus.DONE_WITH_FAILURES): "finished_at",
    # Back to producing: failed statements retried, a correction, or a restart that found
    # statements still waiting. `finished_at` is kept: finishing again emails only the members
    # whose statements became ready since.
    (StatementRunStatus.DONE, StatementRunStatus.RUNNING): None,
    (StatementRunStatus.DONE_WITH_FAILURES, StatementRunStatus.RUNNING): None,
}

STATEMENT_TRANSITIONS: dict[tuple[str, str], str | None] = {
    (StatementStatus.PENDING, StatementStatus.DONE): "rendered_at",
    (StatementStatus.PENDING, StatementStatus.FAILED): None,
    # A render that finishes after its statement was given up (its worker looked dead) still
    # counts: the PDF is good.
    (StatementStatus.FAILED, StatementStatus.DONE): "rendered_at",
    (StatementStatus.FAILED, StatementStatus.PENDING): None,  # retried
    # A correction replaces the member's current version, whatever its state.
    (StatementStatus.PENDING, StatementStatus.SUPERSEDED): None,
    (StatementStatus.DONE, StatementStatus.SUPERSEDED): None,
    (StatementStatus.FAILED, StatementStatus.SUPERSEDED): None,
}


class TransitionNotAllowed(Exception):
    """The caller asked for a move the table does not list: a bug, not something a person can fix."""


class LockedRowChanged(RuntimeError):
    """A transition missed a row its caller holds locked (FOR UPDATE), which cannot happen while the
    lock does its job: stop before anything is written on a wrong assumption."""


def _move(
    model: type[Model],
    table: dict[tuple[str, str], str | None],
    instance: Model,
    to: str,
    fields: dict[str, object],
) -> bool:
    old = instance.status  # type: ignore[attr-defined]
    if (old, to) not in table:
        raise TransitionNotAllowed(f"{model.__name__} {instance.pk} cannot move from {old!r} to {to!r}.")
    fields = {"status": to, **fields}
    stamp = table[(old, to)]
    if stamp:
        fields[stamp] = timezone.now()
    if model._default_manager.filter(pk=instance.pk, status=old).update(**fields) != 1:
        return False  # someone moved it first: their move stands, this one changes nothing
    for name, value in fields.items():
        setattr(instance, name, value)
    return True


def pool_transition(*, pool: ResidualPool, to: str) -> bool:
    """Move a pool from the state it has in `pool`; False if it is no longer in that state."""
    return _move(ResidualPool, POOL_TRANSITIONS, pool, to, {})


def statement_run_transition(*, run: StatementRun, to: str) -> bool:
    """Move a run from the state it has in `run`; False if it is no longer in that state."""
    return _move(StatementRun, RUN_TRANSITIONS, run, to, {})


def statement_transition(
    *,
    statement: Statement,
    to: str,
    error: str = "",
    file: str = "",
    fingerprint: str = "",
    total_payable: Decimal | None = None,
) -> bool:
    """Move a statement from the state it has in `statement`; False if it is no longer in that state.

    DONE takes the rendered file's name, its data's fingerprint and total (and clears any earlier
    error); FAILED takes the reason, which staff read on the run page; back to PENDING gives the
    statement a fresh count of attempts.
    """
    fields: dict[str, object] = {}
    if to == StatementStatus.DONE:
        if not (file and fingerprint and total_payable is not None):
            raise TransitionNotAllowed("A statement is done only with its file, fingerprint and total.")
        fields = {"file": file, "fingerprint": fingerprint, "total_payable": total_payable, "error": ""}
    elif to == StatementStatus.FAILED:
        if not error.strip():
            raise TransitionNotAllowed("A statement fails only with its reason.")
        fields = {"error": error[:ERROR_MAX_CHARS]}
    elif to == StatementStatus.PENDING:
        fields = {"attempts": 0}
    return _move(Statement, STATEMENT_TRANSITIONS, statement, to, fields)
