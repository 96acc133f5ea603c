from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from mediateka.ops import health, metrics
from mediateka.outreach import saves
from mediateka.video import serving, upload
from mediateka.web.views import offline

# The admin names the library, in the editor's language, not "Django administration".
admin.site.site_header = _("Mediateka administration")
admin.site.site_title = _("Mediateka")
admin.site.index_title = _("The library and its records")
admin.site.login_template = "web/admin_login.html"

handler403 = "mediateka.web.views.errors.forbidden"
handler404 = "mediateka.web.views.errors.not_found"
handler500 = "mediateka.web.views.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("media/s/<str:token>/<path:path>", serving.media_signed, name="media-signed"),
    path("media/<path:path>", serving.media, name="media"),
    path("sw.js", offline.service_worker, name="service-worker"),  # at the root: its scope is the site
    path("offline/public", offline.still_public, name="offline-public"),
    path("offline/saved", saves.saved, name="offline-saved"),
    path("upload/", upload.uploads, name="upload-create"),
    path("upload/<uuid:upload_id>", upload.upload, name="upload"),
    path("", include("mediateka.api.urls")),
    path("", include("mediateka.syndication.urls")),
]
urlpatterns += i18n_patterns(
    path("", include("mediateka.web.urls")),
    path("", include("mediateka.syndication.localised_urls")),
    path("", include("mediateka.outreach.urls")),
    prefix_default_language=True,
)
