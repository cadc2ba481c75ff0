"""Which host names belong to which hub. Hubs and their hosts change seldom, so each process
keeps the map for ``TTL`` seconds (the services that change a host drop it at once here; other
processes see the change within the TTL).

A hub's host is a domain name with a dot, never the site's own host (``SITE_URL``) nor an IP
address: requests to those (every ordinary request, and the tests' ``testserver``) are no
hub's and cost no query at all."""

import ipaddress
import time
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings

TTL = 60.0

_cache: dict[str, object] = {"at": 0.0, "map": {}}


def host_map() -> dict[str, int]:
    """{host name: hub id}."""
    if time.monotonic() - float(_cache["at"]) > TTL:
        from .models import Hub

        _cache["map"] = dict(
            Hub.objects.exclude(host__isnull=True).exclude(host="").values_list("host", "pk")
        )
        _cache["at"] = time.monotonic()
    return _cache["map"]  # type: ignore[return-value]


@cache
def _site_host(site_url: str) -> str:
    return (urlsplit(site_url).hostname or "").lower()


def could_be_a_hub_s(host: str) -> bool:
    if "." not in host or host == _site_host(settings.SITE_URL):
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return True
    return False


def hub_id_for(host: str) -> int | None:
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    name = name.rstrip(".").lower()
    if not could_be_a_hub_s(name):
        return None
    return host_map().get(name)


def forget() -> None:
    _cache["at"] = 0.0
