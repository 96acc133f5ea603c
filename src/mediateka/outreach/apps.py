from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "mediateka.outreach"
    verbose_name = _("Outreach")

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the receivers
