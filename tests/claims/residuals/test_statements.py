"""Statement runs: start, render, duplicates, failures, retry, reissue, progress, downloads, emails."""

import io
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from claims.enums import StatementRunStatus, StatementStatus
from claims.models import Statement, StatementRun
from claims.selectors.residuals.runs import run_progress
from claims.services.residuals import statements as statement_service
from claims.services.residuals.statement_runs import run_finish_if_complete, run_retry_failed, statement_run_start
from claims.services.residuals.statements import statement_notify_ready, statement_reissue, statement_render
from members.models import MemberProfile
from tests import factories
from tests.claims.residuals.statement_builders import (
    add_carried_in,
    add_lines,
    add_statement,
    bulk_pool,
    make_issued_pool,
)
from tests.queries import assert_page_queries_constant


def statement_files() -> list[Path]:
    folder = Path(settings.STORAGES["default"]["OPTIONS"]["location"]) / "statements"
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def pool(db, member, other_member):
    factories.make_union_membership(member, "SAG-AFTRA")
    factories.make_union_membership(other_member, "DGA")
    pool = make_issued_pool()
    add_lines(pool, member, ["120.50", "79.50"])
    add_lines(pool, other_member, ["300.00"])
    add_carried_in(pool, other_member, "4.25")
    return pool


@pytest.fixture
def finished_run(pool, verifier, celery_eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = statement_run_start(pool=pool, started_by=verifier)
    run.refresh_from_db()
    return run


def test_run_start_twice_gives_one_run_one_pending_statement_per_member_and_queues_once(
    pool, member, other_member, verifier, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as first:
        run = statement_run_start(pool=pool, started_by=verifier)
    with django_capture_on_commit_callbacks() as second:
        again = statement_run_start(pool=pool, started_by=verifier)
    assert again.pk == run.pk and StatementRun.objects.count() == 1
    numbers = dict(run.statements.values_list("member_id", "number"))
    assert numbers == {member.pk: f"ST-{pool.pk}-{member.pk}-v1", other_member.pk: f"ST-{pool.pk}-{other_member.pk}-v1"}
    assert set(run.statements.values_list("status", flat=True)) == {StatementStatus.PENDING}
    assert len(first) == 1 and len(second) == 0


def test_run_start_refuses_a_draft_pool(pool, verifier):
    pool.status = "draft"
    pool.save()
    with pytest.raises(ValueError, match="only for an issued pool"):
        statement_run_start(pool=pool, started_by=verifier)


def test_rendering_gives_each_member_one_current_statement_with_name_and_total(finished_run, member, other_member):
    assert finished_run.status == StatementRunStatus.DONE
    statements = {s.member_id: s for s in finished_run.statements.all()}
    assert set(statements) == {member.pk, other_member.pk}
    mine, theirs = statements[member.pk], statements[other_member.pk]
    assert mine.status == StatementStatus.DONE and mine.total_payable == Decimal("200.00")
    assert theirs.total_payable == Decimal("304.25")  # 300 earned + 4.25 brought forward
    assert len(mine.fingerprint) == 64
    with mine.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "Maria Santos" in text and "200.00" in text and mine.number in text
    assert run_progress(finished_run).total_payable == Decimal("504.25")
    assert len(statement_files()) == 2


def test_a_statement_delivered_twice_leaves_one_file_and_one_done_row(pool, verifier):
    run = statement_run_start(pool=pool, started_by=verifier)
    statement = run.statements.first()
    assert statement_render(statement_id=statement.pk) is True
    assert statement_render(statement_id=statement.pk) is False
    statement.refresh_from_db()
    assert statement.status == StatementStatus.DONE and statement.attempts == 1
    assert [path.name for path in statement_files()] == [Path(statement.file.name).name]


def test_two_workers_rendering_the_same_statement_at_once_leave_one_file(transactional_db, member, verifier):
    pool = make_issued_pool()
    add_lines(pool, member, ["10.00", "20.00"])
    run = statement_run_start(pool=pool, started_by=verifier)
    statement_id = run.statements.get().pk
    start = threading.Barrier(4)

    def render() -> bool:
        try:
            start.wait()
            return statement_render(statement_id=statement_id)
        finally:
            connection.close()

    with ThreadPoolExecutor(4) as pool_of_workers:
        results = list(pool_of_workers.map(lambda _: render(), range(4)))
    statement = Statement.objects.get(pk=statement_id)
    assert results.count(True) == 1
    assert statement.status == StatementStatus.DONE and statement.total_payable == Decimal("30.00")
    assert [str(path) for path in statement_files()] == [statement.file.path]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
def test_storing_a_statement_locks_its_own_row_not_its_runs(transactional_db, member, other_member, verifier):
    """Workers of one run store statements side by side: none waits on a lock of the shared run row
    (which finishing a run takes, and which a FOR UPDATE joined to the run would take too)."""
    pool = make_issued_pool()
    add_lines(pool, member, ["10.00"])
    add_lines(pool, other_member, ["20.00"])
    run = statement_run_start(pool=pool, started_by=verifier)
    first, second = run.statements.order_by("pk")
    locked, release = threading.Event(), threading.Event()

    def another_worker_holding_the_run() -> None:
        from django.db import transaction

        try:
            with transaction.atomic():
                StatementRun.objects.select_for_update().get(pk=run.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    other = threading.Thread(target=another_worker_holding_the_run)
    other.start()
    try:
        assert locked.wait(10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")  # waiting on the run's row would fail here
        assert statement_render(statement_id=second.pk) is True
    finally:
        release.set()
        other.join()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    second.refresh_from_db()
    assert second.status == StatementStatus.DONE and first.status == StatementStatus.PENDING


def test_a_file_left_by_a_killed_worker_is_removed_when_the_statement_is_rendered(
    pool, verifier, django_capture_on_commit_callbacks
):
    """A worker SIGKILLed between writing the PDF and committing leaves a file no row references."""
    run = statement_run_start(pool=pool, started_by=verifier)
    statement = run.statements.first()
    storage = statement.file.storage
    orphan = storage.save(f"statements/{statement.pk}/{'0' * 32}.pdf", io.BytesIO(b"%PDF- half written"))
    with django_capture_on_commit_callbacks(execute=True):  # deleted only once the new file is committed
        statement_render(statement_id=statement.pk)
    statement.refresh_from_db()
    assert not storage.exists(orphan)
    assert [str(path) for path in statement_files()] == [statement.file.path]


# A statement as long as no member's really is: 600 lines take a second or more to lay out, an
# ordinary statement a twentieth of that. With the limit at half a second, it is pathological for real.
PATHOLOGICAL_LINES = 600
RENDER_LIMIT_FOR_TESTS = 0.5


@pytest.fixture
def pathological(db, member, monkeypatch):
    """A pool where `member` has an ordinary statement and another member a pathological one;
    returns the pool, that other member and what their statement pays."""
    pool, totals = bulk_pool(members=1, lines_per_member=PATHOLOGICAL_LINES)
    [(slow_id, slow_total)] = totals.items()
    factories.make_union_membership(member, "SAG-AFTRA")
    add_lines(pool, member, ["120.50", "79.50"])
    monkeypatch.setattr(statement_service, "RENDER_SECONDS_LIMIT", RENDER_LIMIT_FOR_TESTS)
    # A timeout that lands in a finaliser is dropped to sys.unraisablehook and fires again 50 ms
    # later; a hook that does nothing keeps that second signal from landing inside pytest's own longer handler.
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: None)
    return pool, MemberProfile.objects.get(pk=slow_id), slow_total


def test_a_pathological_statement_fails_alone_and_is_listed(
    pathological, member, verifier, celery_eager, django_capture_on_commit_callbacks, client
):
    pool, slow_member, _ = pathological
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        run = statement_run_start(pool=pool, started_by=verifier)
    assert time.monotonic() - started < 10, "the time limit stopped the slow render"
    run.refresh_from_db()
    assert run.status == StatementRunStatus.DONE_WITH_FAILURES
    failed = run.statements.get(member=slow_member)
    assert failed.status == StatementStatus.FAILED and "longer than 0.5 seconds" in failed.error
    assert failed.attempts == 1 and not failed.file
    assert run.statements.get(member=member).status == StatementStatus.DONE
    progress = run_progress(run)
    assert (progress.done, progress.failed, progress.remaining) == (1, 1, 0)
    assert [message.to for message in mail.outbox] == [[member.user.email]]

    client.force_login(factories.make_verifier(email="sag@union.example", unions=("SAG-AFTRA",)))
    page = client.get(reverse("claims:run_detail", args=[run.pk])).content.decode()
    assert "1 statement failed" in page
    assert failed.number in page and "Member 0 Bulk" in page and "longer than 0.5 seconds" in page


def test_a_failed_statement_can_be_retried_and_the_member_is_emailed_then(
    pathological, member, verifier, celery_eager, django_capture_on_commit_callbacks, monkeypatch
):
    pool, slow_member, slow_total = pathological
    with django_capture_on_commit_callbacks(execute=True):
        run = statement_run_start(pool=pool, started_by=verifier)
    assert len(mail.outbox) == 1
    monkeypatch.undo()  # the union raises the limit for this run's long statement, and retries
    with django_capture_on_commit_callbacks(execute=True):
        assert run_retry_failed(run) == 1
    run.refresh_from_db()
    assert run.status == StatementRunStatus.DONE
    retried = run.statements.get(member=slow_member)
    assert retried.status == StatementStatus.DONE and retried.error == "" and retried.total_payable == slow_total
    assert [message.to for message in mail.outbox] == [[member.user.email], [slow_member.user.email]]
    assert run_retry_failed(run) == 0


def test_retry_button_queues_the_failed_statements(
    pathological, sag_verifier, celery_eager, django_capture_on_commit_callbacks, monkeypatch, client
):
    pool, slow_member, _ = pathological
    with django_capture_on_commit_callbacks(execute=True):
        run = statement_run_start(pool=pool, started_by=sag_verifier)
    assert run.statements.get(member=slow_member).status == StatementStatus.FAILED
    monkeypatch.undo()
    client.force_login(sag_verifier)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("claims:run_retry", args=[run.pk]))
    assert response.status_code == 302
    assert run.statements.get(member=slow_member).status == StatementStatus.DONE


def test_reissue_makes_a_new_version_and_keeps_the_old_one_superseded(
    finished_run, member, sag_verifier, celery_eager, django_capture_on_commit_callbacks, client
):
    old = finished_run.statements.get(member=member)
    old_file = old.file.path
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        new = statement_reissue(statement=old, by=sag_verifier)
    old.refresh_from_db()
    new.refresh_from_db()
    finished_run.refresh_from_db()
    assert old.status == StatementStatus.SUPERSEDED and Path(old_file).exists()
    assert new.version == 2 and new.number.endswith("-v2") and new.status == StatementStatus.DONE
    assert finished_run.status == StatementRunStatus.DONE
    assert finished_run.statements.exclude(status=StatementStatus.SUPERSEDED).filter(member=member).count() == 1
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([member.user.email], "Your corrected residual statement is ready")
    ]
    assert len(statement_files()) == 3
    with pytest.raises(ValueError, match="already been replaced"):
        statement_reissue(statement=old, by=sag_verifier)

    client.force_login(sag_verifier)
    response = client.get(reverse("claims:staff_statement_download", args=[old.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")

    client.force_login(member.user)
    listing = client.get(reverse("claims:statement_list")).content.decode()
    assert new.number in listing and old.number not in listing
    assert client.get(reverse("claims:statement_download", args=[old.pk])).status_code == 404


def test_reissue_button_needs_a_verifier_of_the_members_union(
    finished_run, member, other_member, sag_verifier, celery_eager, django_capture_on_commit_callbacks, client
):
    client.force_login(sag_verifier)
    theirs = finished_run.statements.get(member=other_member)  # a DGA member
    assert client.post(reverse("claims:statement_reissue", args=[theirs.pk])).status_code == 404
    mine = finished_run.statements.get(member=member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("claims:statement_reissue", args=[mine.pk]))
    assert response.status_code == 302
    assert finished_run.statements.get(member=member, version=2).status == StatementStatus.DONE


def test_progress_fragment_polls_while_running_and_returns_286_when_done(
    pool, sag_verifier, client, celery_eager, django_capture_on_commit_callbacks
):
    client.force_login(sag_verifier)
    run = statement_run_start(pool=pool, started_by=sag_verifier)  # nothing rendered: callbacks not run
    url = reverse("claims:run_detail", args=[run.pk])
    running = client.get(url, headers={"HX-Request": "true"})
    body = running.content.decode()
    assert running.status_code == 200 and 'hx-trigger="every 2s"' in body
    assert "<h2" in body and "<html" not in body and "Remaining</dt><dd>2<" in body
    for statement in run.statements.all():
        statement_render(statement_id=statement.pk)
    with django_capture_on_commit_callbacks(execute=True):
        run_finish_if_complete(run)
    done = client.get(url, headers={"HX-Request": "true"})
    assert done.status_code == 286
    assert "every 2s" not in done.content.decode() and "Done</dt><dd>2<" in done.content.decode()
    full = client.get(url)  # a reload shows the same state, from our tables
    assert full.status_code == 200 and "Done</dt><dd>2<" in full.content.decode()


def test_run_page_is_for_staff_only(finished_run, member_client):
    assert member_client.get(reverse("claims:run_detail", args=[finished_run.pk])).status_code == 403


def test_member_downloads_their_own_statement_as_an_attachment(finished_run, member, member_client):
    mine = finished_run.statements.get(member=member)
    response = member_client.get(reverse("claims:statement_download", args=[mine.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="residual-statement-{mine.number}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Maria Santos" in pdf_text(b"".join(response.streaming_content))
    csv_response = member_client.get(reverse("claims:statement_csv", args=[mine.pk]))
    assert csv_response["Content-Disposition"] == f'attachment; filename="residual-statement-{mine.number}.csv"'
    assert "120.50" in csv_response.content.decode()
    listing = member_client.get(reverse("claims:statement_list")).content.decode()
    assert reverse("claims:statement_download", args=[mine.pk]) in listing and mine.file.name not in listing


def test_another_members_statement_is_404(finished_run, other_member, member_client):
    theirs = finished_run.statements.get(member=other_member)
    assert member_client.get(reverse("claims:statement_download", args=[theirs.pk])).status_code == 404
    assert member_client.get(reverse("claims:statement_csv", args=[theirs.pk])).status_code == 404
    assert theirs.number not in member_client.get(reverse("claims:statement_list")).content.decode()


def test_staff_download_only_for_members_of_the_unions_they_verify(finished_run, member, other_member, client):
    mine, theirs = finished_run.statements.get(member=member), finished_run.statements.get(member=other_member)
    iatse = factories.make_verifier(email="iatse@union.example", unions=("IATSE",))
    client.force_login(iatse)
    assert client.get(reverse("claims:staff_statement_download", args=[mine.pk])).status_code == 404
    dga = factories.make_verifier(email="dga@union.example", unions=("DGA",))
    client.force_login(dga)
    assert client.get(reverse("claims:staff_statement_download", args=[mine.pk])).status_code == 404
    response = client.get(reverse("claims:staff_statement_download", args=[theirs.pk]))
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'attachment; filename="residual-statement-{theirs.number}.pdf"'


def test_superuser_staff_download_any_statement(finished_run, member, client):
    boss = factories.make_staff(email="boss@union.example", is_superuser=True)
    client.force_login(boss)
    mine = finished_run.statements.get(member=member)
    assert client.get(reverse("claims:staff_statement_download", args=[mine.pk])).status_code == 200


def test_one_ready_email_per_member_per_run_without_amounts(
    finished_run, member, other_member, django_capture_on_commit_callbacks
):
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert len(mail.outbox) == 2 and set(by_recipient) == {member.user.email, other_member.user.email}
    body = by_recipient[member.user.email].body
    assert "Maria Santos" in body
    assert f"{settings.PORTAL_BASE_URL}{reverse('account_login')}?next={reverse('claims:statement_list')}" in body
    assert "statement" in by_recipient[member.user.email].subject.lower()
    for amount in ("200", "120.50", "79.50", "304.25", "$", "USD"):
        assert amount not in body
    # Finishing again, or the email task delivered twice, sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert run_finish_if_complete(finished_run) is False
    for statement in finished_run.statements.all():
        assert statement_notify_ready(statement_id=statement.pk) is False
    assert len(mail.outbox) == 2


def test_a_ready_email_that_could_not_be_sent_is_sent_by_the_next_delivery(pool, verifier, settings):
    run = statement_run_start(pool=pool, started_by=verifier)
    statement = run.statements.order_by("pk").first()
    statement_render(statement_id=statement.pk)
    # A mail server that refuses the connection (nothing listens on port 9 here).
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 5},
        }
    }
    with pytest.raises(OSError):  # noqa: PT011 (the connection refusal's text differs by platform)
        statement_notify_ready(statement_id=statement.pk)
    statement.refresh_from_db()
    assert statement.emailed_at is None

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert statement_notify_ready(statement_id=statement.pk) is True
    assert statement_notify_ready(statement_id=statement.pk) is False  # delivered again: nothing more
    statement.refresh_from_db()
    assert statement.emailed_at is not None and len(mail.outbox) == 1


def test_statement_list_query_count_does_not_grow_with_statements(finished_run, member, member_client):
    def add_statements():
        numbers = []
        for payer in ["Beta Labs", "Gamma AI", "Delta ML"]:
            later = make_issued_pool(payer=payer)
            add_lines(later, member, ["10.00"])
            statement = statement_run_start(pool=later, started_by=None).statements.get(member=member)
            statement_render(statement_id=statement.pk)
            numbers.append(statement.number)
        return numbers

    queries = assert_page_queries_constant(member_client, reverse("claims:statement_list"), add_statements)
    response = member_client.get(reverse("claims:statement_list"))
    assert queries <= 8
    assert finished_run.statements.get(member=member).number in response.content.decode()


def test_run_page_query_count_is_bounded(finished_run, sag_verifier, client):
    def sag_member(name: str):
        person = factories.make_member(legal_name=name, professional_names=[f"{name} on screen"])
        factories.make_union_membership(person, "SAG-AFTRA")
        return person

    def add_statements():
        done = [add_statement(finished_run, sag_member(f"Member {n} Done")) for n in range(1, 5)]
        failed = [
            add_statement(finished_run, sag_member(f"Member {n} Failed"), status=StatementStatus.FAILED)
            for n in range(1, 3)
        ]
        return [statement.number for statement in done + failed]

    add_statement(finished_run, sag_member("First Failed"), status=StatementStatus.FAILED)
    client.force_login(sag_verifier)
    url = reverse("claims:run_detail", args=[finished_run.pk])
    queries = assert_page_queries_constant(client, url, add_statements)
    response = client.get(url)
    assert queries <= 20
    assert "Maria Santos" in response.content.decode() and "Reissue" in response.content.decode()


def test_the_periodic_check_restarts_a_stalled_run_and_leaves_a_busy_one(
    pool, member, verifier, celery_eager, django_capture_on_commit_callbacks
):
    import datetime

    from claims.services.residuals.statement_runs import statement_runs_check

    run = statement_run_start(pool=pool, started_by=verifier)  # queued tasks lost: callbacks never run
    assert statement_runs_check() == []  # just started: not stalled
    StatementRun.objects.filter(pk=run.pk).update(started_at=run.started_at - datetime.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert statement_runs_check() == [run.pk]
    run.refresh_from_db()
    assert run.status == StatementRunStatus.DONE
    assert set(run.statements.values_list("status", flat=True)) == {StatementStatus.DONE}
    assert len(mail.outbox) == 2
