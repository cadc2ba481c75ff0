"""Find the site's HTML pages by following links, as a person would, from the home page.

Used by the security tests (headers, Content-Security-Policy in a browser) so that every page a
coordinator can reach is checked, including pages added later, without a list to keep up.
"""

from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

# Not pages of the site itself: the read-only admin, the JSON API and the language switch.
SKIPPED_PREFIXES = ("/admin/", "/api/", "/sprak/", "/static/", "/media/")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "hx-get"):
            if tag in ("a", "div", "form", "section") and values.get(name):
                self.hrefs.append(values[name] or "")


def _route(path: str) -> str | None:
    try:
        return resolve(path).route
    except Resolver404:
        return None


def crawl(client: Client, *, per_route: int = 2, limit: int = 400) -> dict[str, str]:
    """HTML pages reachable from "/" with ``client``: {path: route pattern}. At most
    ``per_route`` paths per URL pattern, so lists with many objects do not crowd out the
    rest."""
    seen: set[str] = {"/"}
    queue = deque(["/"])
    pages: dict[str, str] = {}
    per_pattern: Counter[str] = Counter()
    while queue and len(pages) < limit:
        path = queue.popleft()
        response = client.get(path)
        assert response.status_code < 500, f"{path} answered {response.status_code}"
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        route = _route(urlsplit(path).path) or path
        pages[path] = route
        parser = _Links()
        parser.feed(response.content.decode())
        for href in parser.hrefs:
            href, _fragment = urldefrag(href)
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(SKIPPED_PREFIXES) or href in seen:
                continue
            seen.add(href)
            href_route = _route(parts.path)
            if href_route is None or per_pattern[href_route] >= per_route:
                continue
            per_pattern[href_route] += 1
            queue.append(href)
    return pages
