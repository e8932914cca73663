"""What people actually write for a work type, a job or a union, mapped to our choices.

Used by the CSV import, and meant for the credit form too. Matching ignores
case, accents, punctuation and spaces, so "Make-up", "makeup" and "MAKE UP"
are one spelling. An unknown value raises ValidationError naming what we accept.
"""

import re
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db.models import F

from members.enums import Job, WorkType
from members.models import Union
from members.titles import strip_accents


@lru_cache(maxsize=4096)  # a roster repeats a handful of spellings thousands of times
def spelling_key(text: str) -> str:
    """ "1st A.C." -> "1stac": the form two spellings must share to mean the same thing."""
    return re.sub(r"[^0-9a-z]+", "", strip_accents(text).casefold())


WORK_TYPE_SYNONYMS: dict[str, list[str]] = {
    WorkType.FEATURE_FILM: ["feature", "movie", "film", "motion picture", "feature length"],
    WorkType.SHORT_FILM: ["short", "short movie"],
    WorkType.TV_SERIES: ["series", "tv show", "television series", "show", "miniseries", "limited series"],
    WorkType.TV_EPISODE: ["episode", "television episode", "tv ep"],
    WorkType.BOOK: ["novel", "ebook", "memoir", "nonfiction", "non-fiction"],
    WorkType.SCREENPLAY: ["script", "teleplay", "screenplay"],
    WorkType.VIDEO_GAME: ["game", "videogame"],
    WorkType.COMMERCIAL: ["ad", "advert", "advertisement", "spot"],
    WorkType.MUSIC_VIDEO: ["music promo"],
    WorkType.PODCAST: ["audiobook", "audio book", "audio drama", "radio drama"],
}

JOB_SYNONYMS: dict[str, list[str]] = {
    Job.PRINCIPAL: ["actor", "actress", "performer", "lead", "lead actor", "principal", "cast", "star"],
    Job.SUPPORTING: ["supporting", "supporting actor", "co-star", "guest star", "day player"],
    Job.VOICE: ["voice actor", "voice", "voice-over", "vo", "voice artist"],
    Job.STUNT: ["stunts", "stunt", "stuntman", "stuntwoman", "stunt double", "stunt coordinator"],
    Job.BACKGROUND: ["extra", "background", "bg", "background performer"],
    Job.NARRATOR: ["audiobook narrator"],
    Job.WRITTEN_BY: ["writer", "screenwriter", "written"],
    Job.SCREENPLAY_BY: ["screenplay"],
    Job.STORY_BY: ["story"],
    Job.TELEPLAY_BY: ["teleplay"],
    Job.AUTHOR: ["novelist"],
    Job.ASSISTANT_DIRECTOR: ["ad", "1st ad", "first ad", "2nd ad", "first assistant director"],
    Job.DIRECTOR_OF_PHOTOGRAPHY: ["dp", "dop", "cinematographer"],
    Job.CAMERA_OPERATOR: ["operator", "camera op", "cam op"],
    Job.FIRST_AC: ["1st ac", "first ac", "focus puller", "first assistant camera"],
    Job.SECOND_AC: ["2nd ac", "second ac", "clapper loader", "loader", "second assistant camera"],
    Job.STILL_PHOTOGRAPHER: ["stills", "unit photographer", "set photographer"],
    Job.PRODUCTION_SOUND_MIXER: ["sound mixer", "production mixer", "sound recordist"],
    Job.BOOM_OPERATOR: ["boom", "boom op"],
    Job.RE_RECORDING_MIXER: ["dubbing mixer"],
    Job.PICTURE_EDITOR: ["editor", "film editor"],
    Job.SOUND_EDITOR: ["dialogue editor", "sound effects editor"],
    Job.COSTUMER: ["wardrobe"],
    Job.MAKEUP_ARTIST: ["make-up", "makeup", "mua"],
    Job.HAIR_STYLIST: ["hair", "hairdresser", "hairstylist"],
    Job.GAFFER: ["chief lighting technician"],
    Job.BEST_BOY_ELECTRIC: ["best boy"],
    Job.LIGHTING_TECHNICIAN: ["electrician", "electric", "juicer", "lamp operator"],
}

# Spoken in the error message, so a person sees the everyday names work too.
JOB_EXAMPLES = "actor, writer, DP, editor, make-up"


def _table(choices, synonyms: dict[str, list[str]]) -> dict[str, str]:
    """Spelling key -> choice value, from each choice's value and label and its synonyms."""
    table: dict[str, str] = {}
    for choice in choices:
        for spelling in [choice.value, choice.label, *synonyms.get(choice, [])]:
            key = spelling_key(spelling)
            if table.setdefault(key, choice.value) != choice.value:
                raise AssertionError(f"{spelling!r} would mean both {table[key]} and {choice.value}")
    return table


WORK_TYPES = _table(WorkType, WORK_TYPE_SYNONYMS)
JOBS = _table(Job, JOB_SYNONYMS)


def _unknown(what: str, value: str, accepted: str) -> ValidationError:
    return ValidationError(f"Unknown {what} '{value}'. Accepted: {accepted}.", code=f"unknown_{what}")


def work_type_from_text(text: str) -> str:
    """ "TV episode", "tv_episode", "Episode" -> WorkType.TV_EPISODE."""
    try:
        return WORK_TYPES[spelling_key(text)]
    except KeyError:
        accepted = ", ".join(str(label) for label in WorkType.labels)
        raise _unknown("work type", text, accepted) from None


def job_from_text(text: str) -> str:
    """ "DP", "Cinematographer", "director_of_photography" -> Job.DIRECTOR_OF_PHOTOGRAPHY."""
    try:
        return JOBS[spelling_key(text)]
    except KeyError:
        accepted = ", ".join(str(label) for label in Job.labels) + f" (or everyday names: {JOB_EXAMPLES})"
        raise _unknown("job", text, accepted) from None


def active_unions():
    """Unions first, then locals, each by name: the order they are listed in messages and on pages."""
    return Union.objects.filter(is_active=True).order_by(F("parent").asc(nulls_first=True), "short_name")


class UnionVocabulary:
    """Active unions by every spelling: short name, full name, aliases, and "Local 600" / "600" for locals.

    Built once per import from the database (a dozen rows), then looked up per row.
    """

    def __init__(self, unions: list[Union]):
        self.unions = unions
        self._by_id = {union.pk: union for union in unions}
        self._by_key: dict[str, Union] = {}
        for union in unions:
            spellings = [union.short_name, union.name, *union.aliases]
            if union.local_number:
                number = union.local_number
                spellings += [number, f"Local {number}", f"IATSE {number}", f"IATSE Local {number}"]
            for spelling in spellings:
                self._by_key.setdefault(spelling_key(str(spelling)), union)

    @classmethod
    def load(cls) -> "UnionVocabulary":
        return cls(list(active_unions()))

    def union_by_id(self, union_id: int) -> Union:
        return self._by_id[union_id]

    def union_from_text(self, text: str) -> Union:
        try:
            return self._by_key[spelling_key(text)]
        except KeyError:
            accepted = ", ".join(union.short_name for union in self.unions)
            raise _unknown("union", text, accepted) from None
