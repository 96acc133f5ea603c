from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .models import Collection, Credit, Film, Theme


class CreditInline(admin.TabularInline):
    model = Credit
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "position"]


def _languages(field: str) -> tuple[str, str, str]:
    # One row per translated field puts English, Russian and Tajik side by side for the editor.
    return (f"{field}_en", f"{field}_ru", f"{field}_tg")


@admin.register(Theme)
class ThemeAdmin(TranslationAdmin):
    list_display = ["name", "key"]
    search_fields = ["name_en", "name_ru", "name_tg", "key"]
    fields = [_languages("name"), "key"]


@admin.register(Collection)
class CollectionAdmin(TranslationAdmin):
    list_display = ["display_title", "status", "project"]
    list_filter = ["status", "themes"]
    search_fields = ["title_en", "title_ru", "title_tg", "slug"]
    prepopulated_fields = {"slug": ["title_en"]}
    filter_horizontal = ["themes"]
    inlines = [CreditInline]
    fieldsets = [
        (None, {"fields": [_languages("title"), "title_is_devised", _languages("description")]}),
        (_("Cataloguing"), {"fields": ["slug", "status", "project", "themes"]}),
    ]


@admin.register(Film)
class FilmAdmin(TranslationAdmin):
    list_display = ["display_title", "kind", "status", "collection", "year", "published_at"]
    list_filter = ["status", "kind", "themes", "collection", "year"]
    search_fields = ["title_en", "title_ru", "title_tg", "synopsis_en", "synopsis_ru", "synopsis_tg", "slug"]
    prepopulated_fields = {"slug": ["title_en"]}
    filter_horizontal = ["themes"]
    date_hierarchy = "published_at"
    inlines = [CreditInline]
    fieldsets = [
        (None, {"fields": [_languages("title"), "title_is_devised", _languages("synopsis")]}),
        (
            _("Cataloguing"),
            {"fields": ["slug", "kind", "year", "themes", ("collection", "collection_position"), "project"]},
        ),
        (_("Audience and rights"), {"fields": [_languages("audience"), _languages("usage_rights")]}),
        (_("Publishing"), {"fields": ["status", "published_at", "preview_link"]}),
        (_("Video"), {"fields": ["video_links"]}),
    ]
    readonly_fields = ["preview_link", "video_links"]

    @admin.display(description=_("preview"))
    def preview_link(self, film: Film) -> str:
        if not film.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', film.get_absolute_url(), _("View the film page as the public will see it")
        )

    @admin.display(description=_("versions"))
    def video_links(self, film: Film) -> str:
        # Plain URLs: the catalogue sits below the video app and does not import it.
        if not film.pk:
            return _("Save the film first, then upload its video.")
        return format_html(
            '<a href="/upload/?film={}">{}</a> · <a href="/admin/video/video/?film__id__exact={}">{}</a>',
            film.pk,
            _("Upload a video file"),
            film.pk,
            _("Versions and their encoding status"),
        )

    @admin.display(description=_("title"), ordering="title")
    def display_title(self, film: Film) -> str:
        return film.display_title
