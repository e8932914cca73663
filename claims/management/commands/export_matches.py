from pathlib import Path

from django.core.management.base import BaseCommand

from claims.management.commands._training_set import find_training_set
from claims.selectors.discovery.exports import match_export_rows
from portal.spreadsheets import csv_writer


class Command(BaseCommand):
    help = (
        "Write every match in a training set's current manifest to a CSV file: member email, credit title, "
        "credit year, manifest row, manifest title as written, score, method, status."
    )

    def add_arguments(self, parser):
        parser.add_argument("--training-set", required=True, help="Name (or 'name version') of the training set.")
        parser.add_argument("file", type=Path)

    def handle(self, *args, training_set: str, file: Path, **options):
        found = find_training_set(training_set)
        with file.open("w", newline="", encoding="utf-8") as handle:
            writer = csv_writer(handle)
            rows = 0
            for rows, row in enumerate(match_export_rows(training_set=found)):
                writer.writerow(row)
        self.stdout.write(self.style.SUCCESS(f"Wrote {rows:,} matches of '{found}' to {file}."))
