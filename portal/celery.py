"""The Celery app. Tasks live in <app>/tasks.py and are discovered from INSTALLED_APPS."""

import os
from collections.abc import Sequence
from itertools import batched
from typing import cast

from celery import Celery
from celery.contrib.django.task import DjangoTask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="portal.ping")
def ping() -> str:
    """Round trip used by the smoke test and health checks."""
    return "pong"


def task(name: str) -> DjangoTask:
    """The registered task called `name`, for a service to queue with `delay_on_commit`.

    Tasks import the services they run at the top of their modules; a service that queues a task
    looks it up by name here instead of importing the tasks module back, so no import cycle forms
    (Zulip's `queue_json_publish` queues by name for the same reason). Looking a task up finalises
    the app, which imports every app's tasks.py; a wrong name is a KeyError at once, not a lost job.
    """
    return cast(DjangoTask, app.tasks[name])


def task_queue_in_batches(name: str, *, ids: Sequence[int], batch_size: int, ids_as: str, **arguments: object) -> None:
    """After commit, queue the task `name` over `ids`, `batch_size` of them a task (passed as the
    keyword `ids_as`, with `arguments`): Celery's overhead per task is shared by a batch."""
    for batch in batched(ids, batch_size):
        task(name).delay_on_commit(**{ids_as: list(batch)}, **arguments)
