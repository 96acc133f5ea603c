"""The API's docs page: Swagger UI from our own static files (no CDN), started without inline script."""

from django.shortcuts import render
from ninja.openapi.docs import DocsBase


class LocalSwagger(DocsBase):
    def render_page(self, request, api, **kwargs):
        context = {
            "api": api,
            "settings": {
                "url": self.get_openapi_url(api, kwargs),
                "deepLinking": True,
                "layout": "BaseLayout",
                # Swagger UI would otherwise fetch a validity badge from validator.swagger.io.
                "validatorUrl": None,
            },
        }
        return render(request, "api/docs.html", context)
