"""Keeps CatalogueState in step: every save or deletion of what the API shows changes its version.

The API sits above the catalogue, mission and video apps; it listens to their signals instead of
being called by them. The encoding pipeline flips a version to its new encoding with an UPDATE,
which sends no signal, so the end of each background task changes the version as well.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django_tasks.signals import task_finished

from mediateka.catalogue.models import Collection, Credit, Film, Theme
from mediateka.mission.models import Mission, Office, Organisation, Participation, Project, ThematicArea
from mediateka.video.models import CaptionTrack, Encoding, Rung, Video

from .models import CatalogueState

SHOWN = [
    Film,
    Collection,
    Theme,
    Credit,
    Video,
    Encoding,
    Rung,
    CaptionTrack,
    Mission,
    Office,
    Organisation,
    Participation,
    Project,
    ThematicArea,
]


def changed(**kwargs) -> None:
    if kwargs.get("raw"):  # loaddata: the fixture's own rows, nothing served yet
        return
    CatalogueState.objects.bump()


def connect() -> None:
    for model in SHOWN:
        post_save.connect(changed, sender=model, dispatch_uid=f"api-catalogue-save-{model.__name__}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"api-catalogue-delete-{model.__name__}")
    for through in (Film.themes.through, Collection.themes.through):
        m2m_changed.connect(changed, sender=through, dispatch_uid=f"api-catalogue-m2m-{through.__name__}")
    task_finished.connect(changed, dispatch_uid="api-catalogue-task")
