from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "mediateka.web"
    verbose_name = "Public site"
