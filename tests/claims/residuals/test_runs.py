"""How a run's progress reads on the staff page: durations and the share done (no database)."""

import datetime
from decimal import Decimal

from claims.selectors.residuals.runs import RunProgress, duration_text


def progress(**changes) -> RunProgress:
    values = {
        "total": 200,
        "done": 45,
        "failed": 5,
        "remaining": 150,
        "elapsed": datetime.timedelta(minutes=3, seconds=5),
        "seconds_left": 3725,
        "finished": False,
        "total_payable": Decimal("0.00"),
    }
    return RunProgress(**{**values, **changes})


def test_duration_reads_in_seconds_minutes_or_hours():
    assert [duration_text(s) for s in (0, 1, 45, 60, 185, 3599, 3725)] == [
        "0 seconds",
        "1 second",
        "45 seconds",
        "1 min 00 s",
        "3 min 05 s",
        "59 min 59 s",
        "1 h 02 min",
    ]
    assert duration_text(-3) == "0 seconds"  # a clock that stepped back


def test_progress_counts_failed_statements_as_handled_and_says_the_time_left():
    running = progress()
    assert running.percent == 25 and running.elapsed_text == "3 min 05 s"
    assert running.time_left_text == "about 1 h 02 min"
    assert progress(seconds_left=None).time_left_text == ""  # no rate to estimate from yet


def test_a_run_with_no_statements_is_complete():
    assert progress(total=0, done=0, failed=0, remaining=0).percent == 100
