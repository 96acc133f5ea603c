"""The "Today" panel: the mission's three headline figures, counted from records."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Sum

from .models import Mission, Project


@dataclass(frozen=True)
class Today:
    member_since: date | None
    active_projects: int
    active_areas: int
    staff_total: int

    @property
    def staff_floor(self) -> int:
        """The staff figure as the panel states it: under ten exact, else rounded down to tens."""
        if self.staff_total < 10:
            return self.staff_total
        return self.staff_total - self.staff_total % 10

    @property
    def staff_is_exact(self) -> bool:
        # "More than 30" would be false of exactly 30, so a round total is stated as it is.
        return self.staff_floor == self.staff_total


def today(mission: Mission | None = None) -> Today:
    mission = mission or Mission.objects.current()
    active = Project.objects.active()
    staff = mission.offices.aggregate(total=Sum("head_count"))["total"] if mission else 0
    return Today(
        member_since=mission.member_since if mission else None,
        active_projects=active.count(),
        active_areas=active.values("area").distinct().count(),
        staff_total=staff or 0,
    )
