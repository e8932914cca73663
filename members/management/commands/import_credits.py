"""python manage.py import_credits FILE.csv: a staff roster import from the command line."""

from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from members.enums import ImportScope, ImportStatus
from members.models import CreditImport, User
from members.services.credit_import import (
    credit_import_create,
    credit_import_process,
    credit_import_queue,
)

DEVELOPMENT_SITE_URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = (
        "Import a credits roster CSV (columns email, name, union, title, year, work_type, job, "
        "and optionally identifier, character, member_number). All-or-nothing: if any row has a "
        "problem, nothing is imported and every problem is printed with its line number; the exit "
        "code is then 1. The import is recorded like one uploaded on the staff page, as uploaded "
        "by the staff user --by EMAIL, or by the first superuser (lowest id) when --by is not "
        "given. New members are e-mailed an invitation whose link starts with --site-url."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file (UTF-8).")
        parser.add_argument("--by", metavar="EMAIL", help="The staff user recorded as uploading the file.")
        parser.add_argument(
            "--queue", action="store_true", help="Hand the import to a Celery worker instead of running it here."
        )
        parser.add_argument(
            "--site-url",
            help="The portal's address, for links in invitation e-mails "
            f"(required in production; default {DEVELOPMENT_SITE_URL}).",
        )

    def handle(self, *args, file: Path, by: str | None, queue: bool, site_url: str | None, **options):
        if not file.is_file():
            raise CommandError(f"{file} is not a file.")
        if not site_url:
            if settings.PRODUCTION:
                raise CommandError("Pass --site-url https://… so invitation links point at the portal.")
            site_url = DEVELOPMENT_SITE_URL
        uploader = self._uploader(by)
        with transaction.atomic(), file.open("rb") as stream:
            credit_import = credit_import_create(
                scope=ImportScope.ROSTER, uploaded_by=uploader, upload=File(stream, name=file.name)
            )
            if queue:
                credit_import_queue(credit_import=credit_import, site_url=site_url)
        if queue:
            self.stdout.write(
                f"Queued import #{credit_import.pk}; follow it on the staff page /staff/imports/{credit_import.pk}/."
            )
            return
        self.stdout.write(f"Importing {file.name} (import #{credit_import.pk})…")
        done = credit_import_process(import_id=credit_import.pk, site_url=site_url, on_progress=self._progress)
        if done is None:  # only if something else started the import we just created
            raise CommandError(
                f"Import #{credit_import.pk} was started elsewhere; see /staff/imports/{credit_import.pk}/."
            )
        self._report(done)

    def _uploader(self, email: str | None) -> User:
        if email:
            user = User.objects.filter(email__iexact=email, is_staff=True).first()
            if user is None:
                raise CommandError(f"No staff user has the e-mail address {email}.")
            return user
        user = User.objects.filter(is_superuser=True).order_by("pk").first()
        if user is None:
            raise CommandError("There is no superuser to record as the uploader; pass --by EMAIL.")
        return user

    def _progress(self, checked: int, total: int) -> None:
        if checked % 10_000 == 0:
            self.stdout.write(f"  checked {checked:,} of about {total:,} rows")

    def _report(self, done: CreditImport) -> None:
        """The summary, or every stored problem and a CommandError (exit code 1)."""
        if done.status == ImportStatus.DONE:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported {done.rows_total:,} rows: {done.credits_created:,} credits added, "
                    f"{done.credits_already_registered:,} already registered, "
                    f"{done.works_created:,} new works, {done.accounts_created:,} new accounts."
                )
            )
            return
        for error in done.errors:
            where = f"line {error['line']}" if error["line"] else "file"
            self.stdout.write(f"{where}: {error['reason']}")
        if done.error_count > len(done.errors):
            self.stdout.write(f"… and {done.error_count - len(done.errors):,} more.")
        problems = f"{done.error_count:,} problem{'s' if done.error_count != 1 else ''}"
        raise CommandError(f"Nothing was imported: {done.get_status_display().lower()} ({problems}).")
