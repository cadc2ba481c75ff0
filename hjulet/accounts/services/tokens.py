"""Personal API tokens: made, revoked and checked."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hjulet.core import audit, changes
from hjulet.core.api_auth import TokenExpired
from hjulet.core.permissions import require, require_signed_in

from ..models import ApiToken, ApiTokenScope, User, hash_secret


class ApiTokenExpired(TokenExpired):
    """The token was valid but its time is up."""

    def __init__(self, token: ApiToken) -> None:
        super().__init__(token.expires_at)
        self.token = token


# How often the last-used time is written at most: one write a minute, not one per request.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


@transaction.atomic
def api_token_create(
    *,
    actor: User,
    name: str,
    days: int = ApiToken.DEFAULT_LIFETIME_DAYS,
    scope: str = ApiTokenScope.READ_WRITE,
) -> tuple[ApiToken, str]:
    """Create a token valid for ``days`` (one of ``ApiToken.LIFETIME_DAYS``: there is no
    token that never expires) with a scope; the secret is returned once and only its hash is
    kept."""
    require_signed_in(actor)
    if days not in ApiToken.LIFETIME_DAYS:
        raise ValidationError(
            {
                "expires_at": _("Choose how long the token works: %(choices)s days.")
                % {"choices": ", ".join(str(d) for d in ApiToken.LIFETIME_DAYS)}
            },
            code="invalid_lifetime",
        )
    secret = ApiToken.new_secret()
    now = timezone.now()
    token = ApiToken(
        user=actor,
        name=name.strip(),
        key_hash=hash_secret(secret),
        hint=secret[:10],
        scope=scope,
        created_at=now,
        expires_at=now + datetime.timedelta(days=days),
    )
    changes.create(actor, token, ("name", "scope", "expires_at"), action="api_token.create")
    return token, secret


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    require_signed_in(actor)
    require(token.user_id == actor.pk, _("You can only revoke your own tokens."))
    changes.delete(actor, token, action="api_token.revoke", changes={"name": [token.name, None]})


def _revoke_all_tokens(user: User, *, reason: str) -> int:
    """Delete every API token of ``user`` (after a password reset or change): a token made
    by someone who had the old password must not outlive it. Returns how many."""
    names = list(user.api_tokens.values_list("name", flat=True))
    if names:
        user.api_tokens.all().delete()
        audit.record(
            actor=user,
            action="api_token.revoke_all",
            target=user,
            changes={"tokens": [names, []], "reason": [None, reason]},
        )
    return len(names)


def api_token_authenticate(secret: str) -> ApiToken | None:
    """The token with this secret of an active user, or None; raises ApiTokenExpired when its
    time is up. Records when it was last used (at most once a minute)."""
    if not secret.startswith(ApiToken.PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_secret(secret), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.is_expired:
        raise ApiTokenExpired(token)
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
