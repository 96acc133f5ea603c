"""API tokens: what lets a script act as an editor without a browser session.

Only a SHA-256 digest of each token is stored; the token itself is shown once, when it is issued.
Tokens are long random strings, so a plain hash (no salt, no slow KDF) is enough to make a leaked
database useless for calling the API, and it lets a request find its token with one indexed lookup.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PREFIX = "mtk_"
# A token's last use is written at most this often, so that reading the API does not write per request.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def issue(self, user, name: str = "") -> tuple["ApiToken", str]:
        """A new token for `user`: the saved row, and the token, which is not stored and is shown once."""
        token = PREFIX + secrets.token_urlsafe(32)
        row = self.create(user=user, name=name, digest=digest(token), hint=token[-4:])
        return row, token

    def for_token(self, token: str) -> "ApiToken | None":
        if not token.startswith(PREFIX):
            return None
        return self.select_related("user").filter(digest=digest(token), revoked_at__isnull=True).first()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, blank=True, help_text=_("What the token is for."))
    digest = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("ends with"), max_length=4, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} · …{self.hint}" + (f" ({self.name})" if self.name else "")

    def touch(self) -> None:
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now
