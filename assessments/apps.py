from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"

    def ready(self) -> None:
        from . import reminders  # noqa: F401  (registers its reminder sweeps)
