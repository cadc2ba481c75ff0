"""The account pages. The parts: ``signup`` (sign-up, confirming the address, logging in,
passwords), ``profile`` (a person's own account), ``organisations`` (with memberships and
invitations) and ``roles``; ``_common`` holds what several of them use."""

from ._common import (
    BACKEND,
)
from .organisations import (
    invitation,
    membership_update,
    organisation_create,
    organisation_detail,
    organisation_invite,
    organisation_list,
    organisation_update,
)
from .profile import (
    api_token_create,
    api_token_revoke,
    choose_display_name,
    delete_account,
    export_my_data,
    profile,
)
from .roles import (
    user_roles,
)
from .signup import (
    LoginView,
    PasswordChangeView,
    PasswordResetConfirmView,
    PasswordResetView,
    email_login_complete,
    email_login_request,
    mail_limited,
    signup,
    verify_email,
    verify_resend,
)

__all__ = [
    "BACKEND",
    "LoginView",
    "PasswordChangeView",
    "PasswordResetConfirmView",
    "PasswordResetView",
    "api_token_create",
    "api_token_revoke",
    "choose_display_name",
    "delete_account",
    "email_login_complete",
    "email_login_request",
    "export_my_data",
    "invitation",
    "mail_limited",
    "membership_update",
    "organisation_create",
    "organisation_detail",
    "organisation_invite",
    "organisation_list",
    "organisation_update",
    "profile",
    "signup",
    "user_roles",
    "verify_email",
    "verify_resend",
]
