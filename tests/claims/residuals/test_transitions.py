"""The three job rows of residuals (pool, statement run, statement) move only by their tables.

For each: an allowed move happens and sets its timestamp; a move the table does not list is
refused before anything is written; and the same move made again from a stale copy (a second
worker, a second tab) hits no row and changes nothing.
"""

import itertools
from decimal import Decimal

import pytest

from claims.enums import PoolStatus, StatementRunStatus, StatementStatus
from claims.models import ResidualPool, Statement, StatementRun
from claims.services.residuals.statement_runs import statement_run_start
from claims.services.residuals.transitions import (
    POOL_TRANSITIONS,
    RUN_TRANSITIONS,
    STATEMENT_TRANSITIONS,
    TransitionNotAllowed,
    pool_transition,
    statement_run_transition,
    statement_transition,
)
from tests.claims.residuals.statement_builders import add_lines, make_issued_pool

DONE_FIELDS = {"file": "statements/1/a.pdf", "fingerprint": "f" * 64, "total_payable": Decimal("12.50")}


@pytest.fixture
def run(db, member):
    pool = make_issued_pool()
    add_lines(pool, member, ["12.50"])
    return statement_run_start(pool=pool, started_by=None)  # renders queued after commit: never run here


@pytest.fixture
def statement(run):
    return run.statements.get()


def fresh(instance):
    return type(instance).objects.get(pk=instance.pk)


# --- residual pools ------------------------------------------------------------------------------


def test_issuing_a_draft_pool_sets_when_it_was_issued(db):
    pool = make_issued_pool()
    ResidualPool.objects.filter(pk=pool.pk).update(status=PoolStatus.DRAFT, issued_at=None)  # a draft, as created
    pool = fresh(pool)

    assert pool_transition(pool=pool, to=PoolStatus.ISSUED) is True

    stored = fresh(pool)
    assert stored.status == PoolStatus.ISSUED and stored.issued_at is not None
    assert (pool.status, pool.issued_at) == (stored.status, stored.issued_at)


def test_an_issued_pool_never_goes_back_to_draft(db):
    pool = make_issued_pool()
    with pytest.raises(TransitionNotAllowed):
        pool_transition(pool=pool, to=PoolStatus.DRAFT)
    assert fresh(pool).status == PoolStatus.ISSUED


def test_issuing_twice_changes_nothing_the_second_time(db):
    pool = make_issued_pool()
    ResidualPool.objects.filter(pk=pool.pk).update(status=PoolStatus.DRAFT, issued_at=None)
    first_tab, second_tab = fresh(pool), fresh(pool)
    assert pool_transition(pool=first_tab, to=PoolStatus.ISSUED) is True
    issued_at = fresh(pool).issued_at

    assert pool_transition(pool=second_tab, to=PoolStatus.ISSUED) is False

    assert fresh(pool).issued_at == issued_at and second_tab.status == PoolStatus.DRAFT


# --- statement runs ------------------------------------------------------------------------------


def test_finishing_a_run_sets_when_it_finished_and_running_again_keeps_it(run):
    assert statement_run_transition(run=run, to=StatementRunStatus.DONE_WITH_FAILURES) is True
    finished_at = fresh(run).finished_at
    assert finished_at is not None

    assert statement_run_transition(run=run, to=StatementRunStatus.RUNNING) is True

    # Kept, so the next finish emails only the members whose statements became ready since.
    assert fresh(run).status == StatementRunStatus.RUNNING and fresh(run).finished_at == finished_at


def test_a_finished_run_cannot_change_how_it_finished(run):
    statement_run_transition(run=run, to=StatementRunStatus.DONE)
    with pytest.raises(TransitionNotAllowed):
        statement_run_transition(run=run, to=StatementRunStatus.DONE_WITH_FAILURES)
    assert fresh(run).status == StatementRunStatus.DONE


def test_finishing_a_run_twice_changes_nothing_the_second_time(run):
    first_worker, second_worker = fresh(run), fresh(run)
    assert statement_run_transition(run=first_worker, to=StatementRunStatus.DONE) is True
    finished_at = fresh(run).finished_at

    assert statement_run_transition(run=second_worker, to=StatementRunStatus.DONE) is False

    assert fresh(run).finished_at == finished_at


# --- statements ----------------------------------------------------------------------------------


def test_a_rendered_statement_is_done_with_its_file_total_and_time(statement):
    Statement.objects.filter(pk=statement.pk).update(error="an earlier failure")
    statement = fresh(statement)

    assert statement_transition(statement=statement, to=StatementStatus.DONE, **DONE_FIELDS) is True

    stored = fresh(statement)
    assert stored.status == StatementStatus.DONE and stored.file.name == "statements/1/a.pdf"
    assert stored.total_payable == Decimal("12.50") and stored.fingerprint == "f" * 64
    assert stored.rendered_at is not None and stored.error == ""


def test_a_failed_statement_keeps_its_reason_and_a_retry_gives_it_fresh_attempts(statement):
    Statement.objects.filter(pk=statement.pk).update(attempts=3)
    statement = fresh(statement)

    assert statement_transition(statement=statement, to=StatementStatus.FAILED, error="ValueError: bad line") is True
    assert (fresh(statement).status, fresh(statement).error) == (StatementStatus.FAILED, "ValueError: bad line")

    assert statement_transition(statement=statement, to=StatementStatus.PENDING) is True
    assert (fresh(statement).status, fresh(statement).attempts) == (StatementStatus.PENDING, 0)


def test_a_statement_fails_only_with_a_reason_and_is_done_only_with_its_file(statement):
    with pytest.raises(TransitionNotAllowed):
        statement_transition(statement=statement, to=StatementStatus.FAILED, error=" ")
    with pytest.raises(TransitionNotAllowed):
        statement_transition(statement=statement, to=StatementStatus.DONE, fingerprint="f" * 64)
    assert fresh(statement).status == StatementStatus.PENDING


def test_a_superseded_statement_never_comes_back(statement):
    statement_transition(statement=statement, to=StatementStatus.SUPERSEDED)
    for to in (StatementStatus.PENDING, StatementStatus.DONE, StatementStatus.FAILED):
        with pytest.raises(TransitionNotAllowed):
            statement_transition(statement=statement, to=to, error="late", **DONE_FIELDS)
    assert fresh(statement).status == StatementStatus.SUPERSEDED


def test_of_two_workers_the_second_changes_nothing(statement):
    """One delivery gives the statement up while another, holding a stale copy, tries to finish it."""
    first, second = fresh(statement), fresh(statement)
    assert statement_transition(statement=first, to=StatementStatus.FAILED, error="gave up") is True

    assert statement_transition(statement=second, to=StatementStatus.DONE, **DONE_FIELDS) is False
    assert statement_transition(statement=second, to=StatementStatus.FAILED, error="gave up") is False

    stored = fresh(statement)
    assert stored.status == StatementStatus.FAILED and not stored.file and stored.rendered_at is None


# --- the tables themselves -----------------------------------------------------------------------


def _not_in(table, choices):
    return [move for move in itertools.product(choices.values, repeat=2) if move not in table]


@pytest.mark.parametrize("old, to", _not_in(POOL_TRANSITIONS, PoolStatus))
def test_every_pool_move_missing_from_the_table_is_refused(old, to):
    with pytest.raises(TransitionNotAllowed):
        pool_transition(pool=ResidualPool(pk=1, status=old), to=to)  # refused before any query


@pytest.mark.parametrize("old, to", _not_in(RUN_TRANSITIONS, StatementRunStatus))
def test_every_run_move_missing_from_the_table_is_refused(old, to):
    with pytest.raises(TransitionNotAllowed):
        statement_run_transition(run=StatementRun(pk=1, status=old), to=to)


@pytest.mark.parametrize("old, to", _not_in(STATEMENT_TRANSITIONS, StatementStatus))
def test_every_statement_move_missing_from_the_table_is_refused(old, to):
    with pytest.raises(TransitionNotAllowed):
        statement_transition(statement=Statement(pk=1, status=old), to=to, error="reason", **DONE_FIELDS)
