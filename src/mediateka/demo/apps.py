from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "mediateka.demo"
    verbose_name = "Demo catalogue"
