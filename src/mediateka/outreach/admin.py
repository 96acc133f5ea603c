from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from . import rollup
from .models import Broadcast, Membership, OfflineSave, Screening, ScreeningFilm, organisation_of


class OrganisationScopedAdmin(admin.ModelAdmin):
    """An officer in the admin sees and changes their organisation's records only, as on the site."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def _editable(self, request, obj) -> bool:
        return obj is None or self.model.objects.editable_by(request.user).filter(pk=obj.pk).exists()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("organisation")  # set from the officer's membership on save
        return fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            if not request.user.is_superuser:
                obj.organisation = organisation_of(request.user)
        super().save_model(request, obj, form, change)


class ScreeningFilmInline(admin.TabularInline):
    model = ScreeningFilm
    extra = 1
    autocomplete_fields = ["film"]
    verbose_name = _("film shown")


@admin.register(Screening)
class ScreeningAdmin(OrganisationScopedAdmin):
    list_display = ["date", "place", "organisation", "venue_kind", "attendees", "is_sample"]
    list_filter = ["region", "venue_kind", "is_sample", "organisation"]
    date_hierarchy = "date"
    search_fields = ["locality", "facilitator", "notes"]
    inlines = [ScreeningFilmInline]
    fieldsets = [
        (None, {"fields": ["organisation", "date", "district", "locality", "venue_kind", "facilitator"]}),
        (
            _("Audience"),
            {
                "fields": [
                    "attendees",
                    ("women", "men"),
                    ("age_under_18", "age_18_29", "age_30_44", "age_45_plus"),
                    ("migrants", "returned_migrants", "family_members"),
                    "materials",
                ]
            },
        ),
        (None, {"fields": ["notes", "is_sample"]}),
    ]

    def changeform_view(self, request, *args, **kwargs):
        # The screening and its films' inline are saved one after the other: refresh reach once.
        with rollup.deferred():
            return super().changeform_view(request, *args, **kwargs)

    def delete_queryset(self, request, queryset):
        with rollup.deferred():
            for screening in queryset:  # one by one, so each refreshes the reach it counted in
                screening.delete()


@admin.register(Broadcast)
class BroadcastAdmin(OrganisationScopedAdmin):
    list_display = ["aired_at", "channel", "film", "estimated_audience", "organisation", "is_sample"]
    list_filter = ["channel", "is_sample", "organisation"]
    date_hierarchy = "aired_at"
    autocomplete_fields = ["film"]
    fields = [
        "organisation",
        "channel",
        "aired_at",
        "film",
        "estimated_audience",
        "estimate_source",
        "is_sample",
    ]


@admin.register(OfflineSave)
class OfflineSaveAdmin(admin.ModelAdmin):
    """The counts of films saved for offline viewing, to read: the film page's save posts them."""

    list_display = ["film", "day", "language", "rung", "count"]
    list_filter = ["language", "rung"]
    date_hierarchy = "day"
    search_fields = ["film__slug"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation"]
    list_filter = ["organisation"]
    autocomplete_fields = ["user", "organisation"]
    search_fields = ["user__username", "organisation__name"]


class MembershipInline(admin.StackedInline):
    """The officer's organisation, set on the user's own page: one page creates an officer."""

    model = Membership
    autocomplete_fields = ["organisation"]
    can_delete = True


admin.site.unregister(User)


@admin.register(User)
class UserWithMembershipAdmin(UserAdmin):
    def get_inlines(self, request, obj):
        # On the page after "Add user", beside the groups, as with Django's own two-step user form.
        return (
            [*super().get_inlines(request, obj), MembershipInline]
            if obj
            else super().get_inlines(request, obj)
        )
