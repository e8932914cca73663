"""Matching quality on the labelled pairs in tests/claims/discovery/data/: precision and recall per domain.

    .venv/bin/python -m tests.claims.discovery.eval_matching [--verbose] [--threshold 80]

Each CSV row is one member credit and one manifest row as a real listing would write
it, labelled 1 (the same work) or 0 (another work), with a note saying which rule the
pair exercises. All credits are matched against all entries at once through the engine
(`find_matches`), so a pair the blocking never brings together counts as missed. A pair
is predicted "same work" when it is matched at or above the display threshold: only
matches members see count. Exits non-zero when a domain misses its target.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass, field
from pathlib import Path

from claims.listings.rows import parse_manifest_row
from claims.matching import DISPLAY_THRESHOLD, CreditRecord, ManifestRecord, find_matches

DATA_DIR = Path(__file__).parent / "data"
DATA_FILES = ("film_tv_pairs.csv", "books_pairs.csv", "handwritten_pairs.csv")
# (precision, recall) each domain must reach at the display threshold.
TARGETS = {"film_tv": (0.995, 0.98), "books": (0.99, 0.90)}


@dataclass
class DomainResult:
    domain: str
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    true_negatives: int = 0
    mistakes: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else 1.0

    @property
    def pairs(self) -> int:
        return self.true_positives + self.false_positives + self.false_negatives + self.true_negatives

    def meets(self, targets: tuple[float, float]) -> bool:
        return self.precision >= targets[0] and self.recall >= targets[1]


def load_pairs(files: tuple[str, ...] = DATA_FILES) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for name in files:
        with open(DATA_DIR / name, newline="", encoding="utf-8") as handle:
            rows += list(csv.DictReader(handle))
    return rows


def _int(value: str) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


def credit_from_row(index: int, row: dict[str, str]) -> CreditRecord:
    identifiers = {}
    if row["credit_identifier"]:
        scheme = "imdb_id" if row["credit_identifier"].startswith("tt") else "isbn"
        identifiers[scheme] = row["credit_identifier"]
    return CreditRecord(
        credit_id=index,
        member_id=index,
        title=row["credit_title"],
        year=_int(row["credit_year"]),
        work_type=row["credit_type"],
        series_title=row["credit_series"],
        season=_int(row["credit_season"]),
        episode=_int(row["credit_episode"]),
        identifiers=identifiers,
        member_names=[name.strip() for name in row["member_names"].split("|") if name.strip()],
        category=row["credit_category"],
        job=row["credit_job"],
    )


def entry_from_row(index: int, row: dict[str, str]) -> ManifestRecord:
    return parse_manifest_row(
        {
            "title": row["manifest_raw_title"],
            "year": row["manifest_year"],
            "creators": row["manifest_creators"],
            "identifier": row["manifest_identifier"],
            "series": row["series"],
            "season": row["season"],
            "episode": row["episode"],
        },
        entry_id=index,
        medium=row["manifest_medium"],
    )


def evaluate(rows: list[dict[str, str]], *, threshold: int = DISPLAY_THRESHOLD) -> dict[str, DomainResult]:
    credits = [credit_from_row(index, row) for index, row in enumerate(rows)]
    entries = [entry_from_row(index, row) for index, row in enumerate(rows)]
    found = {}
    for match in find_matches(credits, entries, min_score=0):
        if match.credit_id == match.entry_id:
            found[match.credit_id] = match
    results: dict[str, DomainResult] = {}
    for index, row in enumerate(rows):
        result = results.setdefault(row["domain"], DomainResult(row["domain"]))
        match = found.get(index)
        predicted = match is not None and match.score >= threshold
        same_work = row["label"] == "1"
        if predicted and same_work:
            result.true_positives += 1
        elif predicted:
            result.false_positives += 1
        elif same_work:
            result.false_negatives += 1
        else:
            result.true_negatives += 1
        if predicted != same_work:
            kind = "FALSE MATCH" if predicted else "MISSED"
            scored = f"{match.score} {match.method}: {match.reason}" if match else "no candidate"
            result.mistakes.append(
                f"{kind} [{row['note']}] credit {row['credit_title']!r} ({row['credit_year']}) vs "
                f"{row['manifest_raw_title']!r} ({row['manifest_year']}) -> {scored}"
            )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=int, default=DISPLAY_THRESHOLD)
    parser.add_argument("--verbose", action="store_true", help="list every mistake")
    args = parser.parse_args(argv)
    results = evaluate(load_pairs(), threshold=args.threshold)
    failed = False
    print(f"Matching quality at display threshold {args.threshold}")
    for domain, result in sorted(results.items()):
        precision_target, recall_target = TARGETS.get(domain, (0.0, 0.0))
        ok = result.meets((precision_target, recall_target))
        failed |= not ok
        print(
            f"  {domain:8} pairs {result.pairs:4}  precision {result.precision:.3f} (target {precision_target})  "
            f"recall {result.recall:.3f} (target {recall_target})  "
            f"tp {result.true_positives} fp {result.false_positives} fn {result.false_negatives} "
            f"tn {result.true_negatives}  {'ok' if ok else 'BELOW TARGET'}"
        )
        if args.verbose or not ok:
            for mistake in result.mistakes:
                print(f"    {mistake}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
