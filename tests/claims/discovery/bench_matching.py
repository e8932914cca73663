"""Speed and memory of manifest parsing and matching on synthetic data, in memory.

    .venv/bin/python -m tests.claims.discovery.bench_matching [--entries 1000000] [--credits 200000]

Generates a listing that looks like a mixed training set (films with IMDb ids, catalogue-
style "Title, The (2019)" rows with alternate titles, OpenSubtitles-style episodes, Books3
file names) and members' credits, a quarter of them works that the listing contains,
written the way members type them (article moved, a year off, a typo). Rows are generated
one at a time and streamed into the index, as the ingestion job streams chunks. Prints
entries/s for parsing (`parse_manifest_row`, which computes the stored keys), the index
build, the match stage, and peak RSS from resource.getrusage.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from collections.abc import Iterator

from claims.listings.rows import parse_manifest_row
from claims.matching import DISPLAY_THRESHOLD, CreditRecord, EntryIndex, find_matches

SYLLABLES = [
    "ka",
    "lo",
    "ren",
    "mi",
    "sa",
    "tor",
    "vel",
    "an",
    "del",
    "or",
    "is",
    "qu",
    "bra",
    "nel",
    "sho",
    "har",
    "bor",
    "win",
    "ter",
    "mar",
    "gol",
    "den",
    "ash",
    "fen",
    "rid",
    "ge",
    "lan",
    "tern",
    "cal",
    "dor",
    "ves",
    "per",
    "ul",
    "ith",
    "mon",
    "sun",
    "ber",
    "cro",
    "wen",
    "ly",
    "pa",
    "te",
    "ro",
    "gu",
    "hal",
    "mer",
    "sil",
    "tan",
    "vor",
    "est",
    "ick",
    "ow",
    "ba",
    "ne",
    "di",
    "fo",
    "ra",
    "zu",
    "el",
    "am",
]
FIRST_NAMES = [
    "Jane",
    "Marisol",
    "Kwame",
    "Ingrid",
    "Tomás",
    "Priya",
    "Declan",
    "Hana",
    "Lucía",
    "Björn",
    "Amara",
    "Kenji",
    "Sofia",
    "Mateo",
    "Leila",
    "Dmitri",
    "Noor",
    "Camille",
    "Imani",
    "Jonas",
]


def vocabulary(rng: random.Random, size: int) -> list[str]:
    words: dict[str, None] = {}
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
        words[word.capitalize()] = None
    return list(words)


class Synthetic:
    """Deterministic generator of titles, people, listing rows and credits."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.words = vocabulary(self.rng, 150_000)
        # Zipf-like: common words recur across many titles, as in real listings, with a long tail
        # (a million real titles use hundreds of thousands of distinct words).
        self.weights = [1 / (rank + 50) ** 0.9 for rank in range(len(self.words))]
        self.cumulative = []
        total = 0.0
        for weight in self.weights:
            total += weight
            self.cumulative.append(total)
        self.surnames = vocabulary(self.rng, 20_000)
        self.series = [self.title() for _ in range(5_000)]

    def title(self) -> str:
        count = self.rng.choice((1, 2, 2, 2, 3, 3, 4))
        words = self.rng.choices(self.words, cum_weights=self.cumulative, k=count)
        title = " ".join(words)
        roll = self.rng.random()
        if roll < 0.2:
            title = "The " + title
        elif roll < 0.25:
            title = f"{title} {self.rng.choice(['2', 'II', 'Part III', 'Two'])}"
        elif roll < 0.32:
            title = f"{title}: {self.rng.choice(self.words)} {self.rng.choice(self.words)}"
        return title

    def person(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(self.surnames)}"

    def imdb(self) -> str:
        return f"tt{self.rng.randint(1, 39_999_999):07d}"

    def entry_row(self) -> tuple[dict, tuple]:
        """A listing row and what a member credited on that work would know about it."""
        rng = self.rng
        kind = rng.random()
        year = rng.randint(1930, 2024)
        if kind < 0.55:
            title = self.title()
            row = {"title": title, "year": str(year), "identifier": self.imdb() if rng.random() < 0.5 else ""}
            return row, ("film", title, year, "")
        if kind < 0.70:
            title = self.title()
            shown = f"{title[4:]}, The" if title.startswith("The ") else title
            if rng.random() < 0.15:
                shown += f" (a.k.a. {self.title()})"
            return {"title": f"{shown} ({year})"}, ("film", title, year, "")
        if kind < 0.88:
            series, episode_title = rng.choice(self.series), self.title()
            season, episode = rng.randint(1, 8), rng.randint(1, 24)
            row = {
                "title": f'"{series}" {episode_title}',
                "year": str(year),
                "series": series,
                "season": str(season),
                "episode": str(episode),
                "identifier": self.imdb(),
            }
            return row, ("episode", episode_title, year, (series, season, episode))
        author, title = self.person(), self.title()
        name = (
            f"{author} - {title}.epub.txt"
            if rng.random() < 0.8
            else f"{title.replace(' ', '_')}-{author.split()[-1]}.txt"
        )
        return {"title": name}, ("book", title, None, author)

    def typo(self, title: str) -> str:
        words = title.split()
        index = self.rng.randrange(len(words))
        word = words[index]
        if len(word) >= 6:
            cut = self.rng.randint(2, len(word) - 2)
            words[index] = word[:cut] + word[cut + 1 :]
        return " ".join(words)

    def credit(self, credit_id: int, known: tuple | None) -> CreditRecord:
        rng = self.rng
        if known is None:
            return CreditRecord(
                credit_id=credit_id,
                member_id=credit_id // 4,
                title=self.title(),
                year=rng.randint(1930, 2024),
                work_type="feature_film",
                member_names=[self.person()],
                category="performer",
                job="principal",
            )
        kind, title, year, detail = known
        roll = rng.random()
        if roll < 0.1:
            title = self.typo(title)
        elif roll < 0.2 and title.startswith("The "):
            title = title[4:]
        elif roll < 0.3 and year:
            year += rng.choice((-1, 1))
        if kind == "episode":
            series, season, episode = detail
            return CreditRecord(
                credit_id=credit_id,
                member_id=credit_id // 4,
                title=title,
                year=year,
                work_type="tv_episode",
                series_title=series,
                season=season,
                episode=episode,
                member_names=[self.person()],
                category="performer",
                job="principal",
            )
        if kind == "book":
            return CreditRecord(
                credit_id=credit_id,
                member_id=credit_id // 4,
                title=title,
                year=rng.randint(1950, 2024),
                work_type="book",
                member_names=[detail],
                category="writer",
                job="author",
            )
        return CreditRecord(
            credit_id=credit_id,
            member_id=credit_id // 4,
            title=title,
            year=year,
            work_type="feature_film",
            member_names=[self.person()],
            category="performer",
            job="principal",
        )


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def run(entries: int, credits: int, seed: int = 7) -> dict:
    synthetic = Synthetic(seed)
    index = EntryIndex()
    known: list[tuple] = []
    keep_every = max(1, entries // max(1, credits // 4))
    generate_seconds = parse_seconds = add_seconds = 0.0
    clock = time.perf_counter

    def rows() -> Iterator[tuple[int, dict, tuple]]:
        for number in range(entries):
            row, what = synthetic.entry_row()
            yield number, row, what

    started = clock()
    with index.loading():
        for number, row, what in rows():
            tick = clock()
            record = parse_manifest_row(row, entry_id=number)
            tock = clock()
            index.add(record)
            parse_seconds += tock - tick
            add_seconds += clock() - tock
            if number % keep_every == 0:
                known.append(what)
    generate_seconds = clock() - started - parse_seconds - add_seconds

    credit_records = []
    for credit_id in range(credits):
        source = known[credit_id % len(known)] if credit_id % 4 == 0 and known else None
        credit_records.append(synthetic.credit(credit_id, source))

    tick = clock()
    found = shown = 0
    for match in find_matches(credit_records, index):
        found += 1
        shown += match.score >= DISPLAY_THRESHOLD
    match_seconds = clock() - tick
    return {
        "entries": entries,
        "credits": credits,
        "generate_s": generate_seconds,
        "parse_s": parse_seconds,
        "index_s": add_seconds,
        "match_s": match_seconds,
        "matches": found,
        "shown": shown,
        "fuzzy_comparisons": index.fuzzy_comparisons,
        "pairs_scored": index.pairs_scored,
        "peak_rss_mb": peak_rss_mb(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--credits", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    result = run(args.entries, args.credits, args.seed)
    print(f"Matching speed: {result['entries']:,} manifest entries vs {result['credits']:,} credits")
    print(f"  parse + keys   {result['parse_s']:7.1f} s  {result['entries'] / result['parse_s']:10,.0f} entries/s")
    print(f"  index build    {result['index_s']:7.1f} s  {result['entries'] / result['index_s']:10,.0f} entries/s")
    print(
        f"  match          {result['match_s']:7.1f} s  {result['credits'] / result['match_s']:10,.0f} credits/s  "
        f"({result['matches']:,} matches, {result['shown']:,} shown; {result['pairs_scored']:,} pairs scored, "
        f"{result['fuzzy_comparisons']:,} fuzzy comparisons)"
    )
    print(
        f"  parse+index+match {result['parse_s'] + result['index_s'] + result['match_s']:.1f} s "
        f"(data generation {result['generate_s']:.1f} s not counted)"
    )
    print(f"  peak RSS       {result['peak_rss_mb']:7.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
