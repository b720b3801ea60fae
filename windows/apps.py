from django.apps import AppConfig


class WindowsConfig(AppConfig):
    name = "windows"
