"""Choices used across member data: work types, credit categories and jobs, membership states."""

from django.db import models


class WorkType(models.TextChoices):
    FEATURE_FILM = "feature_film", "Feature film"
    SHORT_FILM = "short_film", "Short film"
    TV_SERIES = "tv_series", "TV series"
    TV_EPISODE = "tv_episode", "TV episode"
    BOOK = "book", "Book"
    SCREENPLAY = "screenplay", "Screenplay / teleplay"
    VIDEO_GAME = "video_game", "Video game"
    COMMERCIAL = "commercial", "Commercial"
    MUSIC_VIDEO = "music_video", "Music video"
    PODCAST = "podcast", "Podcast / audiobook"


class CreditCategory(models.TextChoices):
    PERFORMER = "performer", "Performer"
    WRITER = "writer", "Writer"
    CREW = "crew", "Crew"


class Job(models.TextChoices):
    # Performers (SAG-AFTRA)
    PRINCIPAL = "principal", "Principal performer"
    SUPPORTING = "supporting", "Supporting performer"
    VOICE = "voice", "Voice performer"
    STUNT = "stunt", "Stunt performer"
    BACKGROUND = "background", "Background actor"
    NARRATOR = "narrator", "Narrator"
    # Writers (WGA)
    WRITTEN_BY = "written_by", "Written by"
    SCREENPLAY_BY = "screenplay_by", "Screenplay by"
    STORY_BY = "story_by", "Story by"
    TELEPLAY_BY = "teleplay_by", "Teleplay by"
    AUTHOR = "author", "Author"
    # Crew (DGA, IATSE), grouped by department below
    DIRECTOR = "director", "Director"
    ASSISTANT_DIRECTOR = "assistant_director", "Assistant director"
    DIRECTOR_OF_PHOTOGRAPHY = "director_of_photography", "Director of photography"
    CAMERA_OPERATOR = "camera_operator", "Camera operator"
    FIRST_AC = "first_ac", "1st assistant camera"
    SECOND_AC = "second_ac", "2nd assistant camera"
    DIT = "dit", "Digital imaging technician"
    STILL_PHOTOGRAPHER = "still_photographer", "Still photographer"
    PRODUCTION_SOUND_MIXER = "production_sound_mixer", "Production sound mixer"
    BOOM_OPERATOR = "boom_operator", "Boom operator"
    RE_RECORDING_MIXER = "re_recording_mixer", "Re-recording mixer"
    PICTURE_EDITOR = "picture_editor", "Picture editor"
    ASSISTANT_EDITOR = "assistant_editor", "Assistant editor"
    SOUND_EDITOR = "sound_editor", "Sound editor"
    COSTUME_DESIGNER = "costume_designer", "Costume designer"
    COSTUMER = "costumer", "Costumer"
    MAKEUP_ARTIST = "makeup_artist", "Make-up artist"
    HAIR_STYLIST = "hair_stylist", "Hair stylist"
    PRODUCTION_DESIGNER = "production_designer", "Production designer"
    ART_DIRECTOR = "art_director", "Art director"
    SET_DESIGNER = "set_designer", "Set designer"
    GAFFER = "gaffer", "Gaffer"
    BEST_BOY_ELECTRIC = "best_boy_electric", "Best boy electric"
    LIGHTING_TECHNICIAN = "lighting_technician", "Lighting technician"
    KEY_GRIP = "key_grip", "Key grip"
    DOLLY_GRIP = "dolly_grip", "Dolly grip"
    BEST_BOY_GRIP = "best_boy_grip", "Best boy grip"


PERFORMER_JOBS = [Job.PRINCIPAL, Job.SUPPORTING, Job.VOICE, Job.STUNT, Job.BACKGROUND, Job.NARRATOR]
WRITER_JOBS = [Job.WRITTEN_BY, Job.SCREENPLAY_BY, Job.STORY_BY, Job.TELEPLAY_BY, Job.AUTHOR]

# Crew jobs by department, in the order a crew list reads.
CREW_DEPARTMENTS: dict[str, list[Job]] = {
    "Directing": [Job.DIRECTOR, Job.ASSISTANT_DIRECTOR],
    "Camera": [
        Job.DIRECTOR_OF_PHOTOGRAPHY,
        Job.CAMERA_OPERATOR,
        Job.FIRST_AC,
        Job.SECOND_AC,
        Job.DIT,
        Job.STILL_PHOTOGRAPHER,
    ],
    "Sound": [Job.PRODUCTION_SOUND_MIXER, Job.BOOM_OPERATOR, Job.RE_RECORDING_MIXER],
    "Editorial": [Job.PICTURE_EDITOR, Job.ASSISTANT_EDITOR, Job.SOUND_EDITOR],
    "Costume": [Job.COSTUME_DESIGNER, Job.COSTUMER],
    "Make-up and hair": [Job.MAKEUP_ARTIST, Job.HAIR_STYLIST],
    "Art": [Job.PRODUCTION_DESIGNER, Job.ART_DIRECTOR, Job.SET_DESIGNER],
    "Lighting": [Job.GAFFER, Job.BEST_BOY_ELECTRIC, Job.LIGHTING_TECHNICIAN],
    "Grip": [Job.KEY_GRIP, Job.DOLLY_GRIP, Job.BEST_BOY_GRIP],
}
CREW_JOBS = [job for jobs in CREW_DEPARTMENTS.values() for job in jobs]

JOB_CATEGORY: dict[str, CreditCategory] = {
    **dict.fromkeys(PERFORMER_JOBS, CreditCategory.PERFORMER),
    **dict.fromkeys(WRITER_JOBS, CreditCategory.WRITER),
    **dict.fromkeys(CREW_JOBS, CreditCategory.CREW),
}
JOB_DEPARTMENT: dict[str, str] = {job: department for department, jobs in CREW_DEPARTMENTS.items() for job in jobs}


def job_choices_grouped() -> list[tuple[str, list[tuple[str, str]]]]:
    """Jobs grouped for a <select> with <optgroup>s: performers, writers, then crew departments."""
    groups = [
        ("Performer", [(job.value, job.label) for job in PERFORMER_JOBS]),
        ("Writer", [(job.value, job.label) for job in WRITER_JOBS]),
    ]
    groups += [
        (f"Crew: {department}", [(job.value, job.label) for job in jobs])
        for department, jobs in CREW_DEPARTMENTS.items()
    ]
    return groups


# Work types that are part of a series; the credit form asks for series, season and episode.
EPISODIC_TYPES = {WorkType.TV_EPISODE}
# Work types where "episode count" makes sense on a credit.
SERIES_TYPES = {WorkType.TV_SERIES, WorkType.PODCAST}


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    HONORABLE_WITHDRAWAL = "honorable_withdrawal", "Honorable withdrawal"
    SUSPENDED = "suspended", "Suspended"
    RETIRED = "retired", "Retired"
    DECEASED = "deceased", "Deceased (estate)"


class PreferredLanguage(models.TextChoices):
    ENGLISH = "en", "English"
    SPANISH = "es", "Español"
    FRENCH = "fr", "Français"
    KOREAN = "ko", "한국어"
    CHINESE = "zh", "中文"
    TAGALOG = "tl", "Tagalog"
    VIETNAMESE = "vi", "Tiếng Việt"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Checking and importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Not imported: the file has errors"
    CRASHED = "crashed", "Stopped by an internal error"


class ImportScope(models.TextChoices):
    MEMBER = "member", "A member's own credits"
    ROSTER = "roster", "Staff roster for many members"
