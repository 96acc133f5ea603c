from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.crypto import get_random_string
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mediateka.catalogue.admin import FilmAdmin
from mediateka.catalogue.models import Film, Status

from .captions import CaptionError, decode_caption_bytes, parse_captions, to_webvtt
from .models import CaptionTrack, Encoding, Video
from .tasks import enqueue_processing

MAX_CAPTION_BYTES = 2 * 1024 * 1024


class CaptionTrackForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("SRT or WebVTT file"),
        help_text=_("UTF-8, UTF-16 or Windows-1251; it is stored as UTF-8 WebVTT."),
        required=False,
    )

    class Meta:
        model = CaptionTrack
        fields = ["video", "language", "kind", "source"]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload is None:
            if not self.instance.pk:
                self.add_error("upload", _("Choose a caption file."))
            return cleaned
        if upload.size > MAX_CAPTION_BYTES:
            self.add_error("upload", _("A caption file may be at most 2 MB."))
            return cleaned
        video = cleaned.get("video")
        try:
            text = decode_caption_bytes(upload.read())
            cues = parse_captions(text, duration=video.duration if video else None)
        except CaptionError as error:
            for message in error.messages:
                self.add_error("upload", message)
            return cleaned
        self.webvtt = to_webvtt(cues)
        self.cue_count = len(cues)
        return cleaned

    def save(self, commit=True):
        track = super().save(commit=False)
        if hasattr(self, "webvtt"):
            # A new prefix per upload: the old file's cached copies can never be served for the new one.
            old = track.file
            name = f"captions/{get_random_string(24)}/{track.language}-{track.kind}.vtt"
            track.file = default_storage.save(name, ContentFile(self.webvtt.encode("utf-8")))
            track.cue_count = self.cue_count
            if old:
                default_storage.delete(old)
        if commit:
            track.save()
        return track


class CaptionTrackInline(admin.TabularInline):
    model = CaptionTrack
    form = CaptionTrackForm
    fields = ["language", "kind", "source", "upload", "cue_count"]
    readonly_fields = ["cue_count"]
    extra = 0


def _status(video: Video) -> str:
    if video.status == Video.Status.ENCODING:
        return format_html("{} · {}%", video.get_status_display(), round(video.progress))
    if video.status == Video.Status.FAILED and video.error:
        return format_html(
            '{} · <span title="{}">{}</span>',
            video.get_status_display(),
            video.error,
            Truncator(video.error).chars(90),
        )
    return video.get_status_display()


class VersionInline(admin.TabularInline):
    """Each version of the film on the film's own page: its state, what plays, its captions, a retry."""

    model = Video
    verbose_name = _("version")
    verbose_name_plural = _("versions")
    fields = ["language", "state", "rungs", "captions", "next_steps"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # a version begins with an upload

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("current_encoding")
            .prefetch_related("current_encoding__rungs", "captions")
        )

    @admin.display(description=_("status"))
    def state(self, video: Video) -> str:
        return _status(video)

    @admin.display(description=_("qualities"))
    def rungs(self, video: Video) -> str:
        if video.current_encoding is None:
            return "—"
        return ", ".join(rung.name for rung in video.current_encoding.rungs.all())

    @admin.display(description=_("captions"))
    def captions(self, video: Video) -> str:
        tracks = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:video_captiontrack_change", args=[track.pk]), track.get_language_display())
                for track in video.captions.all()
            ),
        )
        return tracks or "—"

    @admin.display(description=_("next steps"))
    def next_steps(self, video: Video) -> str:
        add = format_html(
            '<a href="{}?video={}">{}</a>',
            reverse("admin:video_captiontrack_add"),
            video.pk,
            _("Add captions"),
        )
        if video.status != Video.Status.FAILED or not video.original:
            return add
        # A button of the film's own form, posted elsewhere: forms cannot nest, and it carries the token.
        return format_html(
            '{} · <button type="submit" class="button" formaction="{}" formnovalidate>{}</button>',
            add,
            reverse("admin:video_video_encode_again", args=[video.pk]),
            _("Encode again"),
        )


class FilmWithVersionsAdmin(FilmAdmin):
    """The catalogue's film page, with what the video app knows about the film."""

    inlines = [*FilmAdmin.inlines, VersionInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.status == Status.PUBLISHED and not Video.objects.playable().filter(film=obj).exists():
            self.message_user(
                request,
                _(
                    "The film is published, but no version of it plays yet: its page has no player, and it "
                    "waits below the films that play in “Latest films” until an upload has been encoded."
                ),
                messages.WARNING,
            )


admin.site.unregister(Film)
admin.site.register(Film, FilmWithVersionsAdmin)


@admin.register(Video)
class VideoAdmin(admin.ModelAdmin):
    list_display = ["film", "language", "status_with_progress", "duration", "resolution", "updated_at"]
    list_filter = ["status", "language"]
    search_fields = ["film__title_en", "film__title_ru", "film__title_tg", "original_name"]
    autocomplete_fields = ["film"]
    readonly_fields = [
        "status_with_progress",
        "error",
        "original_name",
        "original_size",
        "sha256",
        "pending_original_name",
        "duration",
        "width",
        "height",
        "frame_rate",
        "video_codec",
        "audio_codec",
        "rotation",
        "audio_channels",
        "current_encoding",
        "upload_link",
    ]
    fields = [
        "film",
        "language",
        "upload_link",
        "status_with_progress",
        "error",
        "original_name",
        "original_size",
        "sha256",
        "pending_original_name",
        "duration",
        ("width", "height", "rotation"),
        "frame_rate",
        ("video_codec", "audio_codec"),
        "audio_channels",
        "current_encoding",
    ]
    inlines = [CaptionTrackInline]
    actions = ["reencode", "encode_again"]

    @admin.display(description=_("status"))
    def status_with_progress(self, video: Video) -> str:
        return _status(video)

    @admin.display(description=_("resolution"))
    def resolution(self, video: Video) -> str:
        return f"{video.width}×{video.height}" if video.width else "—"

    @admin.display(description=_("upload"))
    def upload_link(self, video: Video) -> str:
        if not video.pk:
            return "—"
        return format_html(
            '<a href="/upload/?film={}">{}</a>', video.film_id, _("Upload a new file for this film")
        )

    @admin.action(description=_("Re-encode the selected videos"), permissions=["change"])
    def reencode(self, request, queryset):
        count = 0
        for video in queryset.exclude(original=""):
            enqueue_processing(video, force=True)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d video queued for encoding.", "%(count)d videos queued for encoding.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Encode the selected failed videos again"), permissions=["change"])
    def encode_again(self, request, queryset):
        """The retry of failed encodes: other videos among the selected ones are left as they are."""
        failed = list(queryset.filter(status=Video.Status.FAILED).exclude(original=""))
        for video in failed:
            enqueue_processing(video, force=True)
        count, skipped = len(failed), queryset.count() - len(failed)
        self.message_user(
            request,
            ngettext("%(count)d video queued for encoding.", "%(count)d videos queued for encoding.", count)
            % {"count": count},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d video was left alone: it has not failed, or has no uploaded file.",
                    "%(count)d videos were left alone: they have not failed, or have no uploaded file.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    def get_urls(self):
        again = self.admin_site.admin_view(self.encode_one_again)
        return [path("<int:pk>/encode-again/", again, name="video_video_encode_again"), *super().get_urls()]

    def encode_one_again(self, request, pk: int):
        """The film page's retry of one failed version; back to the film page with the news."""
        video = get_object_or_404(Video, pk=pk)
        if request.method != "POST" or not self.has_change_permission(request, video):
            raise PermissionDenied
        if video.status == Video.Status.FAILED and video.original:
            enqueue_processing(video, force=True)
            self.message_user(request, _("The video is queued for encoding again."), messages.SUCCESS)
        else:
            self.message_user(
                request,
                _("Only a failed video with its uploaded file can be encoded again."),
                messages.WARNING,
            )
        return redirect("admin:catalogue_film_change", video.film_id)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "upload_url": "/upload/"}
        return super().changelist_view(request, extra_context)


@admin.register(CaptionTrack)
class CaptionTrackAdmin(admin.ModelAdmin):
    form = CaptionTrackForm
    list_display = ["video", "language", "kind", "source", "cue_count", "updated_at"]
    list_filter = ["kind", "language", "source"]
    autocomplete_fields = ["video"]
    fields = ["video", "language", "kind", "source", "upload", "cue_count"]
    readonly_fields = ["cue_count"]

    def response_add(self, request, obj, post_url_continue=None):
        # Added from the film's page (its "Add captions" link): back there, where the track now shows.
        if "video" in request.GET and not {"_continue", "_addanother"} & set(request.POST):
            self.message_user(request, _("The captions are saved."), messages.SUCCESS)
            return redirect("admin:catalogue_film_change", obj.video.film_id)
        return super().response_add(request, obj, post_url_continue)


@admin.register(Encoding)
class EncodingAdmin(admin.ModelAdmin):
    list_display = ["video", "state", "created_at", "finished_at"]
    list_filter = ["state"]
    readonly_fields = [
        "video",
        "prefix",
        "state",
        "source_sha256",
        "master_playlist",
        "created_at",
        "finished_at",
    ]

    def has_add_permission(self, request):
        return False
