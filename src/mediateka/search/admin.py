from django.contrib import admin

from .models import SynonymSet


@admin.register(SynonymSet)
class SynonymSetAdmin(admin.ModelAdmin):
    list_display = ["__str__", "note", "changed_at"]
    search_fields = ["members", "note"]
    fields = ["members", "note"]
