"""Keeps MonthlyReach in step with the screenings, one (month, region, sample) bucket at a time.

Every report reads the rollup, so a dashboard over a million screenings sums a few thousand
cells instead of a million rows. A change to a screening, to the films it showed, or to a film's
project or themes marks the buckets it touches; they are recomputed in the database from the
screenings themselves, in the same transaction. `rebuild()` recomputes everything (after a bulk
insert, or from `mediateka manage rebuild_reach`).
"""

import contextvars
import datetime
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncMonth

from .audience import count_sums
from .models import MonthlyReach, ReachState, Screening, ScreeningFilm

Bucket = tuple[datetime.date, str, bool]  # (first day of the month, region, is_sample)

_pending: contextvars.ContextVar[set[Bucket] | None] = contextvars.ContextVar("reach_pending", default=None)


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _screenings_in(buckets: set[Bucket] | None, prefix: str = "") -> Q:
    if buckets is None:
        return Q()
    found = Q(pk__in=[])
    for month, region, is_sample in buckets:
        found |= Q(
            **{
                f"{prefix}date__gte": month,
                f"{prefix}date__lt": next_month(month),
                f"{prefix}region": region,
                f"{prefix}is_sample": is_sample,
            }
        )
    return found


def _cells_in(buckets: set[Bucket] | None) -> Q:
    if buckets is None:
        return Q()
    found = Q(pk__in=[])
    for month, region, is_sample in buckets:
        found |= Q(month=month, region=region, is_sample=is_sample)
    return found


def _showings(buckets):
    """Each film shown at each screening, with the screening's bucket."""
    return ScreeningFilm.objects.filter(_screenings_in(buckets, "screening__")).annotate(
        month=TruncMonth("screening__date"),
        region=F("screening__region"),
        is_sample=F("screening__is_sample"),
    )


def _grouped(rows, *keys):
    return rows.values("month", "region", "is_sample", *keys).annotate(
        screenings=Count("screening_id" if rows.model is ScreeningFilm else "pk", distinct=False),
        **count_sums("screening__" if rows.model is ScreeningFilm else ""),
    )


def compute(buckets: set[Bucket] | None = None) -> list[MonthlyReach]:
    """The cells of these buckets (of all, if None), each kind computed by one grouped query."""
    screenings = Screening.objects.filter(_screenings_in(buckets)).annotate(month=TruncMonth("date"))
    showings = _showings(buckets)
    # A screening that showed two films of one project (or theme) counts once for it: only the
    # showing with the lowest id among those of the same project in that screening is summed.
    first_of_project = ~Exists(
        ScreeningFilm.objects.filter(
            screening=OuterRef("screening"), film__project=OuterRef("film__project"), pk__lt=OuterRef("pk")
        )
    )
    by_theme = showings.annotate(theme=F("film__themes")).filter(theme__isnull=False)
    first_of_theme = ~Exists(
        ScreeningFilm.objects.filter(
            screening=OuterRef("screening"), film__themes=OuterRef("theme"), pk__lt=OuterRef("pk")
        )
    )
    groups = [
        (_grouped(screenings), None, None),
        (_grouped(showings, "film"), "film", "film_id"),
        (
            _grouped(showings.filter(film__project__isnull=False).filter(first_of_project), "film__project"),
            "film__project",
            "project_id",
        ),
        (_grouped(by_theme.filter(first_of_theme), "theme"), "theme", "theme_id"),
    ]
    cells = []
    for rows, column, field in groups:
        for row in rows:
            dimension = {field: row.pop(column)} if column else {}
            cells.append(MonthlyReach(**row, **dimension))
    return cells


@transaction.atomic
def refresh(buckets: set[Bucket]) -> None:
    if not buckets:
        return
    MonthlyReach.objects.filter(_cells_in(buckets)).delete()
    MonthlyReach.objects.bulk_create(compute(buckets), batch_size=2000)
    ReachState.bump()  # in the same transaction: the new version and the new cells commit together


@transaction.atomic
def rebuild() -> int:
    MonthlyReach.objects.all().delete()
    cells = MonthlyReach.objects.bulk_create(compute(None), batch_size=2000)
    ReachState.bump()
    return len(cells)


def bucket_of(screening) -> Bucket:
    return (screening.date.replace(day=1), screening.region, screening.is_sample)


def buckets_of(screenings) -> set[Bucket]:
    return {
        (month, region, is_sample)
        for month, region, is_sample in screenings.annotate(m=TruncMonth("date"))
        .values_list("m", "region", "is_sample")
        .distinct()
    }


def mark(buckets: set[Bucket]) -> None:
    """Refresh now, or at the end of the enclosing `deferred()` block."""
    pending = _pending.get()
    if pending is None:
        refresh(buckets)
    else:
        pending.update(buckets)


@contextmanager
def deferred():
    """Collects the buckets that a batch of changes touches and refreshes each once, at the end."""
    if _pending.get() is not None:  # an outer block refreshes
        yield
        return
    pending: set[Bucket] = set()
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    refresh(pending)
