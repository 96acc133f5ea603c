"""The site's routes plus one view marked `embeddable`, to test the decorator on its own."""

from django.http import HttpResponse
from django.urls import path

from mediateka.ops.csp import embeddable
from mediateka.urls import handler404, handler500  # noqa: F401 - handlers too
from mediateka.urls import urlpatterns as site


@embeddable
def framed(request):
    return HttpResponse("<p>framed</p>")


urlpatterns = [path("embed-test/", framed), *site]
