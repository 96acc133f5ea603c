"""The JSON API under /api/v1/."""

from django.urls import path

from .api import api

urlpatterns = [path("api/v1/", api.urls)]
