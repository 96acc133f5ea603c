from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "mediateka.ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from . import checks, jobs_log  # noqa: F401 - they register system checks and signal receivers
