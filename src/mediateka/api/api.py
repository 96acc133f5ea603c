"""The JSON API: one NinjaAPI under /api/v1/, its OpenAPI schema and its docs page."""

from ninja import NinjaAPI

from .docs import LocalSwagger
from .routers import broadcasts, catalogue, editing, films, mission, reach, screenings, search

api = NinjaAPI(
    title="Mediateka API",
    version="1",
    description=(
        "The film library as data: published films with their versions, streaming rungs, downloads "
        "and captions; collections, themes, the mission's projects and partners. Texts come in the "
        "requested language (?lang= or Accept-Language); each says which language it is really in "
        "and whether that is a fallback. The reach of the films (screenings and broadcasts, as "
        "aggregates) is public too. Catalogue reads need no account; catalogue writes need an "
        "editor's token (Authorization: Bearer …), issued with `mediateka manage issue_api_token "
        "USER`; outreach records are read and written with an outreach officer's token, for their "
        "own organisation only."
    ),
    urls_namespace="api-1",
    docs=LocalSwagger(),
    docs_url="/docs",
)
api.add_router("", films.router)
api.add_router("", search.router)
api.add_router("", catalogue.router)
api.add_router("", mission.router)
api.add_router("", editing.router)
api.add_router("", screenings.router)
api.add_router("", broadcasts.router)
api.add_router("", reach.router)
