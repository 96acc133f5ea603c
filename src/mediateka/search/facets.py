"""Search facets: what a visitor can narrow results by, how a choice in the address becomes an
index facet token, and how each value is counted and labelled.

Values within one facet are alternatives (Tajik or Russian); facets combine (Tajik, and
captions in English). Each facet's counts take every *other* facet's choice into account, so a
count is always the number of results that clicking it would give.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mediateka.catalogue.models import Collection, Film, Theme
from mediateka.video.models import SPOKEN_LANGUAGES

from .masks import Masks
from .models import FACET_PREFIXES

MAX_CHOICES = 20  # per facet: the address is visitor input
MAX_SHOWN = 12
_CODE = re.compile(r"[a-z0-9]{1,64}\Z")


@dataclass
class FacetValue:
    value: str  # as in the address
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str  # the address parameter
    label: str
    values: list[FacetValue] = field(default_factory=list)

    @property
    def selected(self) -> list[FacetValue]:
        return [v for v in self.values if v.selected]


# (address parameter, label), in the order the page shows them.
FACETS = [
    ("theme", _("Theme")),
    ("kind", _("Kind")),
    ("spoken", _("Spoken language")),
    ("captions", _("Captions in")),
    ("year", _("Year")),
    ("collection", _("Collection")),
]


def _token(name: str, code: str) -> str:
    return f"{FACET_PREFIXES[name]}{code}"


def parse(params) -> dict[str, dict[str, str]]:
    """The valid choices in a QueryDict: facet -> {address value: facet token}; anything
    unknown is dropped rather than refused, so an old or edited link still shows results."""
    chosen: dict[str, dict[str, str]] = {}
    for name, _label in FACETS:
        values = [v for v in params.getlist(name)[:MAX_CHOICES] if isinstance(v, str) and len(v) <= 100]
        if not values:
            continue
        if name == "theme":
            codes = {t.key: str(t.pk) for t in Theme.objects.filter(key__in=values)}
        elif name == "collection":
            codes = {c.slug: str(c.pk) for c in Collection.objects.public().filter(slug__in=values)}
        elif name == "year":
            codes = {v: v for v in values if v.isascii() and v.isdigit() and 1800 <= int(v) <= 2200}
        else:
            allowed = {
                "kind": Film.Kind.values,
                "spoken": dict(SPOKEN_LANGUAGES),
                "captions": dict(settings.LANGUAGES),
            }
            codes = {v: v for v in values if v in allowed[name]}
        tokens = {value: _token(name, code) for value, code in codes.items() if _CODE.match(code)}
        if tokens:
            chosen[name] = tokens
    return chosen


def groups(chosen: dict[str, dict[str, str]], *, without: str | None = None) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(tokens.values()) for name, tokens in chosen.items() if name != without)


def restrict(mask: int, masks: Masks, token_groups) -> int:
    for group in token_groups:
        alternatives = 0
        for token in group:
            alternatives |= masks.facet(token)
        mask &= alternatives
    return mask


def count(match: int, masks: Masks, chosen: dict[str, dict[str, str]]) -> dict[str, dict[str, int]]:
    """facet -> {facet code: results}, for the codes with at least one result or chosen."""
    counts: dict[str, dict[str, int]] = {}
    for name, _label in FACETS:
        base = restrict(match, masks, groups(chosen, without=name))
        selected = {token[1:] for token in chosen.get(name, {}).values()}
        found = {}
        for code, mask in masks.values_of(FACET_PREFIXES[name]):
            n = (base & mask).bit_count()
            if n or code in selected:
                found[code] = n
        counts[name] = found
    return counts


def _labels(name: str) -> dict[str, tuple[str, str]]:
    """facet code -> (address value, label) in the active language, for every code of ``name``."""
    if name == "theme":
        return {str(t.pk): (t.key, t.name) for t in Theme.objects.only("pk", "key", "name")}
    if name == "collection":
        collections = Collection.objects.only("pk", "slug", "title", "title_is_devised")
        return {str(c.pk): (c.slug, c.display_title) for c in collections}
    choices = {"kind": Film.Kind.choices, "spoken": SPOKEN_LANGUAGES, "captions": settings.LANGUAGES}
    return {code: (code, str(label)) for code, label in choices.get(name, [])}


def labels(name: str, masks: Masks) -> dict[str, tuple[str, str]]:
    # Renaming a theme or a collection re-indexes its films, so labels can live as long as the
    # masks of the index version; they are kept per language.
    if name == "year":
        return {}
    return masks.memo((name, get_language()), lambda: _labels(name))


def build(counts: dict[str, dict[str, int]], chosen: dict[str, dict[str, str]], masks: Masks) -> list[Facet]:
    facets = []
    for name, label in FACETS:
        found = counts.get(name, {})
        selected_codes = {token[len(FACET_PREFIXES[name]) :] for token in chosen.get(name, {}).values()}
        order = sorted(found, key=lambda code: (-found[code], code))
        shown = [c for c in order if c in selected_codes] + [c for c in order if c not in selected_codes]
        shown = shown[: max(MAX_SHOWN, len(selected_codes))]
        known = labels(name, masks)
        values = [
            FacetValue(value=known[c][0], label=known[c][1], count=found[c], selected=c in selected_codes)
            if name != "year"
            else FacetValue(value=c, label=c, count=found[c], selected=c in selected_codes)
            for c in shown
            if c in known or name == "year"
        ]
        if name == "year":
            values.sort(key=lambda v: -int(v.value))
        else:
            values.sort(key=lambda v: (not v.selected, -v.count, v.label))
        facets.append(Facet(name=name, label=str(label), values=values))
    return facets
