from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyndicationConfig(AppConfig):
    name = "mediateka.syndication"
    verbose_name = _("Feeds, sitemap and embedding")
