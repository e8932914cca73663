"""Production settings refuse to start without what production needs."""

import os
import subprocess
import sys

import pytest

PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x" * 60,
    "ALLOWED_HOSTS": "portal.example.org",
    "EMAIL_URL": "smtp://u:p@mail.example.org:587",
}


def django_check(**overrides) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in PRODUCTION and key != "DJANGO_DEBUG"}
    env.update({key: value for key, value in {**PRODUCTION, **overrides}.items() if value is not None})
    return subprocess.run([sys.executable, "manage.py", "check"], capture_output=True, text=True, env=env)


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_URL"])
def test_production_refuses_to_start_without(missing):
    result = django_check(**{missing: None})
    assert result.returncode != 0
    assert f"{missing} must be set in production" in result.stderr


def test_production_refuses_debug():
    result = django_check(DJANGO_DEBUG="True")
    assert result.returncode != 0 and "DJANGO_DEBUG must be False" in result.stderr


def test_switches_accept_only_true_or_false():
    result = django_check(DJANGO_DEBUG="yes")
    assert result.returncode != 0 and "must be True or False" in result.stderr


def test_production_starts_with_everything_set():
    result = django_check()
    assert result.returncode == 0, result.stderr


def test_every_periodic_job_is_a_registered_task():
    """A renamed task would make beat send messages no worker understands."""
    from django.conf import settings

    from portal.celery import app

    # Every app's tasks are registered when Django starts (ClaimsConfig.ready imports claims.tasks).
    assert settings.CELERY_BEAT_SCHEDULE
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name
    # Often enough that a stalled run (no progress for 10 minutes) restarts within 15.
    assert settings.CELERY_BEAT_SCHEDULE["statement-runs-check"]["schedule"] <= 5 * 60
