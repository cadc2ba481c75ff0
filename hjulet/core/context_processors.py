from functools import partial
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from .selectors import unread_count


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The main navigation: only what exists and what this person may use."""
    user = getattr(request, "user", None)
    items = [
        (reverse("site:home"), _("Start")),
        (reverse("knowledge:initiative-list"), _("Initiatives")),
        (reverse("knowledge:method-list"), _("Methods")),
        (reverse("stories:story-list"), _("Stories")),
        (reverse("knowledge:map"), _("Map")),
        (reverse("accounts:organisation-list"), _("Organisations")),
        (reverse("core:vocabulary-list"), _("Vocabularies")),
    ]
    if user is not None and user.is_authenticated and user.is_coordinator:
        items.append((reverse("core:audit-log"), _("Audit log")))
    if user is not None and user.is_authenticated and user.is_admin:
        items.append((reverse("accounts:user-roles"), _("Users and roles")))
    current = request.path
    signed_in = user is not None and user.is_authenticated
    return {
        # Called by the template only where it shows the bell: one COUNT on an index.
        "unread_notifications": partial(unread_count, user) if signed_in else None,
        "nav_items": [
            {
                "url": url,
                "label": label,
                "current": current == url or (url != "/" and current.startswith(url)),
            }
            for url, label in items
        ],
    }
