from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members"

    def ready(self) -> None:
        # Connect the receivers, and register the tasks that services queue by name (portal.celery.task)
        # in every process, not only in workers, which discover them at start.
        from members import signals, tasks  # noqa: F401
