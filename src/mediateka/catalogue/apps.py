from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "mediateka.catalogue"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        from . import changes
        from .roles import ensure_groups

        post_migrate.connect(ensure_groups, dispatch_uid="mediateka.catalogue.ensure_groups")
        changes.connect()
