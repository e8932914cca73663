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
            rows = match_export_rows(training_set=found)
            writer.writerow(next(rows))  # the header
            count = 0
            for row in rows:
                writer.writerow(row)
                count += 1
        self.stdout.write(self.style.SUCCESS(f"Wrote {count:,} matches of '{found}' to {file}."))
