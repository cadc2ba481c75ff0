"""Every write to users, roles, organisations, memberships, invitations and API tokens.

Each function checks permissions, validates (``full_clean``), runs in a transaction and
records an audit entry. Views and API endpoints call these and nothing else to write. The
parts, by what they change: ``signup`` (sign-up, confirming the address, e-mail login links),
``users`` (a person's own account), ``roles``, ``organisations`` (and memberships),
``invitations`` and ``tokens``; ``_common`` holds what several of them use.
"""

from ._common import (
    USER_FIELDS,
    LinkError,
)
from .invitations import (
    invitation_accept,
    invitation_by_secret,
    invitation_create,
    invitation_refusal,
    is_invited,
)
from .organisations import (
    ORGANISATION_FIELDS,
    is_org_admin,
    is_org_member,
    membership_remove,
    membership_set_role,
    organisation_create,
    organisation_update,
)
from .roles import (
    role_grant,
    role_revoke,
)
from .signup import (
    EMAIL_LOGIN_SALT,
    VERIFY_SALT,
    email_login_complete,
    email_login_creates_account,
    email_login_request,
    local_path,
    send_verification_email,
    user_register,
    user_verify_email,
)
from .tokens import (
    LAST_USED_PRECISION,
    ApiTokenExpired,
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
)
from .users import (
    user_delete,
    user_export_data,
    user_set_display_name,
    user_set_password,
    user_update_profile,
)

__all__ = [
    "EMAIL_LOGIN_SALT",
    "LAST_USED_PRECISION",
    "ORGANISATION_FIELDS",
    "USER_FIELDS",
    "VERIFY_SALT",
    "ApiTokenExpired",
    "LinkError",
    "api_token_authenticate",
    "api_token_create",
    "api_token_revoke",
    "email_login_complete",
    "email_login_creates_account",
    "email_login_request",
    "invitation_accept",
    "invitation_by_secret",
    "invitation_create",
    "invitation_refusal",
    "is_invited",
    "is_org_admin",
    "is_org_member",
    "local_path",
    "membership_remove",
    "membership_set_role",
    "organisation_create",
    "organisation_update",
    "role_grant",
    "role_revoke",
    "send_verification_email",
    "user_delete",
    "user_export_data",
    "user_register",
    "user_set_display_name",
    "user_set_password",
    "user_update_profile",
    "user_verify_email",
]
