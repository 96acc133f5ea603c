"""The public site's outward formats at the site root; the feeds, under /en/ /ru/ /tg/, are in
localised_urls."""

from django.urls import path

from . import embed, iati, sitemap

urlpatterns = [
    path("embed/<slug:slug>", embed.embed, name="embed"),
    path("oembed", embed.oembed, name="oembed"),
    path("sitemap.xml", sitemap.sitemap, name="sitemap"),
    path("iati/activities.xml", iati.activities_view, name="iati-activities"),
]
