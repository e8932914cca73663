"""States and choices for training sets, manifests and matches."""

from django.db import models


class Media(models.TextChoices):
    BOOKS_TEXT = "books_text", "Books and text"
    SUBTITLES = "subtitles", "Film and TV subtitles"
    SCRIPTS = "scripts", "Film and TV scripts"
    VIDEO = "video", "Video"
    IMAGES = "images", "Images"
    AUDIO = "audio", "Audio and voice"


class ManifestStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to load"
    LOADING = "loading", "Loading"
    ACTIVE = "active", "Current"
    SUPERSEDED = "superseded", "Replaced by a newer version"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


FINISHED_MANIFEST_STATES = {ManifestStatus.ACTIVE, ManifestStatus.SUPERSEDED, ManifestStatus.FAILED,
                            ManifestStatus.CANCELLED}


class MatchMethod(models.TextChoices):
    IDENTIFIER = "identifier", "Same identifier"
    EXACT = "exact", "Exact title and year"
    ALTERNATE = "alternate", "Alternate title"
    FUZZY = "fuzzy", "Similar title"


class MatchStatus(models.TextChoices):
    NEW = "new", "Found"
    CONFIRMED = "confirmed", "Confirmed by the member"
    DISMISSED = "dismissed", "Not mine"
