"""Finding a training set by the name staff type on the command line."""

from django.core.management.base import CommandError

from claims.models import TrainingSet


def find_training_set(name: str) -> TrainingSet:
    """By name, or "name version"; an unknown or ambiguous name lists the known ones."""
    matches = [ts for ts in TrainingSet.objects.all() if name.casefold() in {ts.name.casefold(), str(ts).casefold()}]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(f"'{ts}'" for ts in TrainingSet.objects.all()) or "none yet"
    if matches:
        raise CommandError(f"'{name}' names {len(matches)} training sets; add the version. Known: {known}")
    raise CommandError(f"No training set called '{name}'. Known: {known}")
