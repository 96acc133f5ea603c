from django.urls import path

from .views import accounts, catalogue, home, mission, offline, search

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("films/", catalogue.film_list, name="films"),
    path("films/<slug:slug>/", catalogue.film_detail, name="film"),
    path("collections/<slug:slug>/", catalogue.collection_detail, name="collection"),
    path("mission/", mission.mission, name="mission"),
    path("offline/", offline.offline_page, name="offline"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("search/", search.search, name="search"),
    path("search/suggest", search.suggest, name="suggest"),
    path("sign-in/", accounts.SignIn.as_view(), name="sign-in"),
    path("sign-out/", accounts.SignOut.as_view(), name="sign-out"),
    path("password-reset/", accounts.PasswordReset.as_view(), name="password-reset"),
    path("password-reset/sent/", accounts.PasswordResetSent.as_view(), name="password-reset-sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirm.as_view(),
        name="password-reset-confirm",
    ),
    path("password-reset/done/", accounts.PasswordResetComplete.as_view(), name="password-reset-complete"),
]
