"""Token authentication for the API's write endpoints, and the admin's own permission rule.

`may` is the same test the admin applies: an active staff member who holds the model permission.
An editor who can do a thing in the admin can do it through the API, and nobody else can.
"""

from ninja.security import HttpBearer

from .models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        row = ApiToken.objects.for_token(token.strip())
        if row is None or not row.user.is_active:
            return None
        row.touch()
        request.user = row.user
        return row.user


def may(user, *permissions: str) -> bool:
    return bool(user.is_active and user.is_staff and all(user.has_perm(p) for p in permissions))
