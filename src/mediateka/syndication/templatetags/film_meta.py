from django import template

from ..structured import film_meta as build

register = template.Library()


@register.inclusion_tag("syndication/_film_meta_tags.html", takes_context=True)
def film_meta(context):
    """Reads the film page's own context: `film`, and the `versions` and `version` it will play."""
    meta = build(
        context.get("request"), context.get("film"), context.get("versions") or [], context.get("version")
    )
    return {"meta": meta}
