"""The film cards' pictures: `{% for film in films|with_pictures %}` gives each film its `picture`."""

from django import template
from django.utils.translation import get_language

from mediateka.video.stills import pictures_for

register = template.Library()


@register.filter
def with_pictures(films):
    """The films as a list, each with `picture` (video.stills.Picture, or None without a version that
    plays), found with one query for the whole list."""
    films = list(films)
    pictures = pictures_for(films, get_language())
    for film in films:
        film.picture = pictures.get(film.pk)
    return films
