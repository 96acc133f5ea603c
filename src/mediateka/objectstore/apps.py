from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObjectStoreConfig(AppConfig):
    name = "mediateka.objectstore"
    verbose_name = _("Object storage")

    def ready(self) -> None:
        # This app sits above catalogue and video: it listens to their saves, so that neither has
        # to know whether media live on disk or in a bucket.
        from . import receivers  # noqa: F401
