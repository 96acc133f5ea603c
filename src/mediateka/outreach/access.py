"""Who may do what with outreach records, beyond the group permissions.

An officer works for one organisation (Membership) and keeps its records only; an editor reads
every organisation's; the public sees the reports, which hold aggregates only.
"""

from django.core.exceptions import PermissionDenied

from .models import organisation_of


def can_read(user) -> bool:
    return user.is_active and (
        user.is_superuser
        or user.has_perm("outreach.view_every_organisation")
        or (organisation_of(user) is not None and user.has_perm("outreach.view_screening"))
    )


def can_record(user, model_name: str = "screening") -> bool:
    if not user.is_active or not user.has_perm(f"outreach.add_{model_name}"):
        return False
    return user.is_superuser or organisation_of(user) is not None


def recording_organisation(user):
    """The organisation a new record belongs to; None lets an administrator choose."""
    if not can_record(user):
        raise PermissionDenied
    return organisation_of(user)
