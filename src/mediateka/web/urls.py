from django.urls import path

from .views import catalogue, home, mission, search

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("films/", catalogue.film_list, name="films"),
    path("films/<slug:slug>/", catalogue.film_detail, name="film"),
    path("collections/<slug:slug>/", catalogue.collection_detail, name="collection"),
    path("mission/", mission.mission, name="mission"),
    path("search/", search.search, name="search"),
    path("search/suggest", search.suggest, name="suggest"),
]
