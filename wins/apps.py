from django.apps import AppConfig


class WinsConfig(AppConfig):
    name = "wins"
