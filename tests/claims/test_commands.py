"""ingest_manifest and export_matches: foreground work with progress, --queue, clear errors."""

import csv
import gzip
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.enums import ManifestStatus
from claims.models import Manifest, Match, TrainingSet
from tests.factories import make_credit, make_training_set, make_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing(tmp_path):
    path = tmp_path / "subtitles.csv.gz"
    path.write_bytes(gzip.compress(b'title,year\n"Night Harbor, The (2019)",\n,2001\n=SUM(A1),2002\n'))
    return path


def test_ingest_manifest_loads_matches_and_reports_in_the_foreground(listing, member, capsys):
    make_credit(member, make_work(title="The Night Harbor", year=2019))
    training_set = make_training_set(name="OpenSubs")
    call_command("ingest_manifest", str(listing), "--training-set", "opensubs")
    out = capsys.readouterr().out
    assert "2 entries loaded, 1 rows rejected." in out
    assert "row 3: title is missing" in out
    assert "1 matches in 'OpenSubs'." in out
    manifest = Manifest.objects.get()
    assert manifest.status == ManifestStatus.ACTIVE and manifest.original_name == "subtitles.csv.gz"
    assert Match.objects.get().credit.member == member
    training_set.refresh_from_db()
    assert training_set.current_manifest == manifest


def test_ingest_manifest_unknown_set_names_the_known_ones(listing):
    make_training_set(name="Books3")
    with pytest.raises(CommandError, match=re.escape("No training set called 'Nope'. Known: 'Books3'")):
        call_command("ingest_manifest", str(listing), "--training-set", "Nope")


def test_ingest_manifest_can_create_the_set(listing):
    call_command("ingest_manifest", str(listing), "--training-set", "New Set", "--create", "--developer", "Acme")
    assert TrainingSet.objects.get(name="New Set").developer == "Acme"


def test_ingest_manifest_fails_loudly_on_a_bad_file(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("year,director\n2000,x\n")
    make_training_set(name="OpenSubs")
    with pytest.raises(CommandError, match="No title column"):
        call_command("ingest_manifest", str(bad), "--training-set", "OpenSubs")


def test_ingest_manifest_queue_leaves_the_work_to_celery(listing, django_capture_on_commit_callbacks, capsys):
    make_training_set(name="OpenSubs")
    with django_capture_on_commit_callbacks() as callbacks:
        call_command("ingest_manifest", str(listing), "--training-set", "OpenSubs", "--queue")
    assert len(callbacks) == 1
    assert Manifest.objects.get().status == ManifestStatus.QUEUED
    assert "Queued manifest" in capsys.readouterr().out


def test_export_matches_writes_every_match_with_formulas_neutralised(listing, member, tmp_path):
    make_credit(member, make_work(title="The Night Harbor", year=2019))
    make_credit(member, make_work(title="=SUM(A1)", year=2002))
    make_training_set(name="OpenSubs")
    call_command("ingest_manifest", str(listing), "--training-set", "OpenSubs")
    out = tmp_path / "matches.csv"
    call_command("export_matches", "--training-set", "OpenSubs", str(out))
    rows = list(csv.reader(out.open()))
    assert rows[0] == [
        "member email",
        "credit title",
        "credit year",
        "manifest row",
        "manifest title as written",
        "score",
        "method",
        "status",
    ]
    assert [row[3] for row in rows[1:]] == ["2", "4"]
    assert rows[1][:2] == ["member@example.org", "The Night Harbor"] and rows[1][4] == "Night Harbor, The (2019)"
    assert rows[2][1] == "'=SUM(A1)" and rows[2][4] == "'=SUM(A1)"
