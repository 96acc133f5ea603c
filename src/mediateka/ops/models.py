"""What operations keep in the database: the heartbeats of the background workers."""

from datetime import timedelta

from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _ago(seconds: float):
    # The database's clock, the one that stamped the heartbeats: the hosts' clocks may disagree.
    return models.ExpressionWrapper(Now() - timedelta(seconds=seconds), output_field=models.DateTimeField())


class WorkerHeartbeatQuerySet(models.QuerySet):
    def stale(self, seconds: float):
        return self.filter(beat_at__lt=_ago(seconds))

    def alive(self, seconds: float):
        return self.filter(beat_at__gte=_ago(seconds))


class WorkerHeartbeat(models.Model):
    """One running `mediateka worker`, on any machine, and when it last said so (ops.vanished).

    Jobs name the process that runs them host:pid:slot; host:pid, its supervisor, is this row's key.
    """

    worker = models.CharField(_("worker"), max_length=64, primary_key=True)
    host = models.CharField(_("host"), max_length=64)
    pid = models.PositiveIntegerField(_("process id"))
    pid_namespace = models.CharField(_("process namespace"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    beat_at = models.DateTimeField(_("last heartbeat"), default=timezone.now, db_index=True)

    objects = WorkerHeartbeatQuerySet.as_manager()

    class Meta:
        ordering = ["host", "pid"]
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.worker
