from django.apps import AppConfig


class WindowsConfig(AppConfig):
    name = "windows"

    def ready(self) -> None:
        from . import reminders  # noqa: F401  (registers its reminder sweeps)
