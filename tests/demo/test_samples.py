"""The demo's sample clips: each film without a video gets one, captioned, queued, and playing once the
encode job has run (the browser tests' site copies an encoded film instead)."""

from django_tasks_db.models import DBTaskResult

from mediateka.catalogue.models import Film
from mediateka.demo.samples import NOTICE, STEPS, add_samples
from mediateka.video import pipeline
from mediateka.video.models import CaptionTrack, Video

MEHRUBON = "mehrubon-regular-migration"


def test_a_sample_clip_is_captioned_queued_and_plays_once_encoded(demo, django_capture_on_commit_callbacks):
    films = Film.objects.filter(slug=MEHRUBON)
    with django_capture_on_commit_callbacks(execute=True):
        assert add_samples(films) == 1
    video = Video.objects.get(film__slug=MEHRUBON)
    assert (video.language, video.status) == ("zxx", Video.Status.QUEUED)
    assert [job.args_kwargs["args"] for job in DBTaskResult.objects.all()] == [[video.pk, False]]
    tracks = {(t.kind, t.language): t.cue_count for t in video.captions.all()}
    assert tracks == {
        **{(CaptionTrack.Kind.SUBTITLES, language): 2 for language in NOTICE},
        **{(CaptionTrack.Kind.CHAPTERS, language): 3 for language in STEPS},
    }

    # The queued job is the real pipeline: run it and the sample plays, 12 s long.
    assert pipeline.process(video.pk) == "encoded"
    video.refresh_from_db()
    assert video.status == Video.Status.READY and round(video.duration) == 12
    assert Video.objects.playable().filter(film__slug=MEHRUBON).exists()
    assert add_samples(films) == 0  # a film with a video keeps it
