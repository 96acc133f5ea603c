from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransferConfig(AppConfig):
    name = "mediateka.transfer"
    verbose_name = _("Imports and exports")
