"""`manage.py import_credits` (members.management.commands.import_credits): a roster from the command
line, in the foreground or queued."""

import pytest
from django.core.management import CommandError, call_command

from members.enums import ImportStatus
from members.models import Credit, CreditImport
from tests.factories import make_member
from tests.members.credit_files import ROSTER_HEADER

pytestmark = pytest.mark.django_db


def test_import_credits_command_prints_a_summary(tmp_path, member, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER_HEADER + "member@example.org,,SAG-AFTRA,Night Harbor,2019,Feature,Actor,,,\n")
    make_member(email="admin@union.example", is_staff=True, is_superuser=True)

    call_command("import_credits", str(roster))

    out = capsys.readouterr().out
    assert "Imported 1 rows: 1 credits added, 0 already registered, 1 new works, 0 new accounts." in out
    assert CreditImport.objects.get().uploaded_by.email == "admin@union.example"


def test_import_credits_command_lists_errors_and_exits_non_zero(tmp_path, verifier, member, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        ROSTER_HEADER + "member@example.org,,SAG-AFTRA,Night Harbor,2019,Feature,Actor,,,\n"
        "member@example.org,,SAG-AFTRA,Night Harbor,2019,Feature,Juggler,,,\n"
    )

    with pytest.raises(CommandError) as failure:
        call_command("import_credits", str(roster), "--by", verifier.email)

    assert failure.value.returncode == 1
    assert "Nothing was imported" in str(failure.value)
    assert "line 3: Unknown job 'Juggler'." in capsys.readouterr().out
    assert Credit.objects.count() == 0


def test_import_credits_command_can_queue_the_import(
    tmp_path, verifier, member, capsys, celery_eager, django_capture_on_commit_callbacks
):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER_HEADER + "member@example.org,,SAG-AFTRA,Night Harbor,2019,Feature,Actor,,,\n")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_credits", str(roster), "--by", verifier.email, "--queue")

    assert f"Queued import #{CreditImport.objects.get().pk}" in capsys.readouterr().out
    assert CreditImport.objects.get().status == ImportStatus.DONE
    assert member.credits.count() == 1


def test_import_credits_command_needs_an_uploader(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER_HEADER)

    with pytest.raises(CommandError, match="pass --by EMAIL"):
        call_command("import_credits", str(roster))
