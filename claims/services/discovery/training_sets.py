"""Training sets: created and edited by staff."""

from typing import Any

from django.db import transaction

from claims.models import TrainingSet

FIELDS = [
    "name",
    "version",
    "developer",
    "media",
    "description",
    "documentation_url",
    "documentation_note",
    "discovered_on",
]


@transaction.atomic
def training_set_save(*, training_set: TrainingSet | None, data: dict[str, Any]) -> TrainingSet:
    training_set = training_set or TrainingSet()
    for field in FIELDS:
        setattr(training_set, field, data[field])
    training_set.save()
    return training_set
