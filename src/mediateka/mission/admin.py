from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from .models import Mission, Office, Organisation, Participation, Project, ThematicArea


class OfficeInline(TranslationTabularInline):
    model = Office
    extra = 0


@admin.register(Mission)
class MissionAdmin(TranslationAdmin):
    fieldsets = [
        (None, {"fields": [("name_en", "name_ru", "name_tg"), ("country_en", "country_ru", "country_tg")]}),
        (None, {"fields": ["member_since", "organisation"]}),
    ]
    inlines = [OfficeInline]


@admin.register(Organisation)
class OrganisationAdmin(TranslationAdmin):
    list_display = ["name", "short_name", "kind", "website"]
    list_filter = ["kind"]
    search_fields = ["name_en", "name_ru", "name_tg", "short_name_en", "key"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("name_en", "name_ru", "name_tg"),
                    ("short_name_en", "short_name_ru", "short_name_tg"),
                ]
            },
        ),
        (None, {"fields": ["key", "kind", "website", "definite_article"]}),
    ]


@admin.register(ThematicArea)
class ThematicAreaAdmin(TranslationAdmin):
    list_display = ["name", "position"]
    fields = [("name_en", "name_ru", "name_tg"), "key", "position"]


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Project)
class ProjectAdmin(TranslationAdmin):
    list_display = ["title", "area", "status", "start_date", "end_date"]
    list_filter = ["status", "area"]
    search_fields = ["title_en", "title_ru", "title_tg", "key"]
    date_hierarchy = "start_date"
    inlines = [ParticipationInline]
    fieldsets = [
        (
            None,
            {"fields": [("title_en", "title_ru", "title_tg"), ("summary_en", "summary_ru", "summary_tg")]},
        ),
        (_("Status"), {"fields": ["key", "area", "status", ("start_date", "end_date")]}),
    ]
