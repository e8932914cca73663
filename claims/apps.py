from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Training sets and claims"

    def ready(self) -> None:
        # Connect the receivers, and register the tasks that services queue by name (portal.celery.task)
        # in every process, not only in workers, which discover them at start.
        from claims import signals, tasks  # noqa: F401
