"""Which host names belong to which hub. Hubs and their hosts change seldom, so each process
keeps the map for ``TTL`` seconds (the services that change a host drop it at once here; other
processes see the change within the TTL) and an ordinary request costs no query."""

import time

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


def hub_id_for(host: str) -> int | None:
    return host_map().get(host.split(":")[0].rstrip(".").lower())


def forget() -> None:
    _cache["at"] = 0.0
