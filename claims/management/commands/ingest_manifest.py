from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims.management.commands._training_set import find_training_set
from claims.models import Manifest, TrainingSet
from claims.services.discovery.ingestion import manifest_ingest, manifest_upload
from claims.services.discovery.matching import manifest_match


class Command(BaseCommand):
    help = (
        "Load a manifest (CSV, TSV or JSON Lines, optionally .gz) into a training set, then match it against "
        "every member's credits and email members about new matches. Runs in the foreground and prints "
        "progress; --queue hands the work to the Celery workers instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--training-set", required=True, help="Name (or 'name version') of the training set.")
        parser.add_argument("--create", action="store_true", help="Create the training set if it does not exist.")
        parser.add_argument("--developer", default="", help="With --create: who built or used the set.")
        parser.add_argument("--queue", action="store_true", help="Let the Celery workers do the work.")

    def handle(self, *args, file: Path, training_set: str, create: bool, developer: str, queue: bool, **options):
        if not file.is_file():
            raise CommandError(f"No file at {file}")
        if create and not TrainingSet.objects.filter(name=training_set).exists():
            found = TrainingSet.objects.create(name=training_set, developer=developer or "Unknown")
        else:
            found = find_training_set(training_set)
        with file.open("rb") as handle, transaction.atomic():
            upload = File(handle, name=file.name)
            upload.size = file.stat().st_size
            uploaded = manifest_upload(training_set=found, upload=upload, uploaded_by=None, queue=queue)
        if queue:
            self.stdout.write(f"Queued manifest {uploaded.pk} for '{found}'.")
            return
        self.stdout.write(f"Loading {file.name} into '{found}'…")
        manifest = manifest_ingest(manifest_id=uploaded.pk, on_progress=self._progress)
        self.stdout.write("")
        if manifest is None:  # only if another process started loading the manifest just uploaded
            raise CommandError(f"Manifest {uploaded.pk} is being loaded by another process.")
        self._report(manifest)
        if manifest.status != "active":
            raise CommandError(manifest.error or f"The manifest ended as {manifest.get_status_display()}.")
        self.stdout.write("Matching against members' credits…")
        count = manifest_match(manifest_id=manifest.pk)
        self.stdout.write(self.style.SUCCESS(f"{count:,} matches in '{found}'."))

    def _progress(self, manifest: Manifest) -> None:
        self.stdout.write(
            f"\r  {manifest.rows_read:,} rows read, {manifest.rows_rejected:,} rejected ({manifest.percent}%)",
            ending="",
        )
        self.stdout.flush()

    def _report(self, manifest: Manifest) -> None:
        self.stdout.write(f"{manifest.rows_loaded:,} entries loaded, {manifest.rows_rejected:,} rows rejected.")
        for rejection in manifest.rejections.all()[:20]:
            self.stdout.write(f"  row {rejection.row_number}: {rejection.reason}")
        if manifest.rows_rejected > 20:
            self.stdout.write(f"  … and {manifest.rows_rejected - 20:,} more (see the manifest's staff page).")
