from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "mediateka.search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # Search sits above catalogue, mission and video: it listens to their saves rather than
        # being called by them, so those apps never import it.
        from . import receivers  # noqa: F401
