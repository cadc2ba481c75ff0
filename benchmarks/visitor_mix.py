"""What an anonymous visitor of the load test asks for, as plain code: the locust users
(``locustfile.py``) and the in-process profile of the same mix (``mix_profile.py``) draw
their requests from here, so both measure the same thing.

``collect_sample(get_json, seed)`` reads, once, what exists on the server through the open
API (slugs of initiatives and methods, facet codes, search words), so every detail page and
filter asked for exists. ``VisitorMix(sample, rng).choose()`` gives the next request as
``(page group, path)``, the page groups in roughly the proportions people browse them.
"""

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

SAMPLE_PAGES = 3  # pages of 200 initiatives read at random offsets for slugs

OTHER_API_LISTS = [
    "/api/v1/organisations?limit=20",
    "/api/v1/support-structures?limit=20",
    "/api/v1/funding-calls?limit=20",
    "/api/v1/arenas?limit=20",
    "/api/v1/challenges?limit=20",
    "/api/v1/questions/summaries?limit=20",
    "/api/v1/geography/counties",
    "/api/v1/vocabularies/challenge/terms",
    "/api/v1/impact/totals",
]


#: Each page group's share of the requests.
GROUP_WEIGHTS = {
    "home": 8,
    "initiative list": 8,
    "initiative list filtered": 10,
    "initiative search": 8,
    "initiative detail": 20,
    "method list": 2,
    "method detail": 8,
    "scienceshop": 3,
    "surveys": 2,
    "arenas": 3,
    "challenges": 3,
    "support directory": 3,
    "funding calls": 3,
    "impact totals": 3,
    "api initiatives": 4,
    "api initiatives filtered": 3,
    "api methods": 2,
    "api other lists": 4,
}


@dataclass
class Sample:
    """What exists on the server, read once before the visitors start."""

    initiatives: list[str] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    facets: dict[str, list[str]] = field(default_factory=dict)
    words: list[str] = field(default_factory=list)


def collect_sample(get_json: Callable[[str], Any], seed: int) -> Sample:
    """``get_json(path)`` returns the decoded JSON of an API path on the server."""
    rng = random.Random(seed)
    first = get_json("/api/v1/initiatives?limit=200")
    pages = [first]
    for _ in range(SAMPLE_PAGES - 1):
        if first["count"] > 200:
            offset = rng.randrange(0, first["count"] - 199)
            pages.append(get_json(f"/api/v1/initiatives?limit=200&offset={offset}"))
    initiatives = [item for page in pages for item in page["items"]]
    sample = Sample(initiatives=sorted({item["slug"] for item in initiatives}))
    sample.facets = {
        "challenge": [t["code"] for t in get_json("/api/v1/vocabularies/challenge/terms")],
        "target_group": [t["code"] for t in get_json("/api/v1/vocabularies/target-group/terms")],
        "stage": [t["code"] for t in get_json("/api/v1/vocabularies/stage/terms")],
        "county": [c["code"] for c in get_json("/api/v1/geography/counties")],
    }
    words = {
        word.lower()
        for item in initiatives
        for word in re.findall(r"\w{5,}", item["title"] + " " + item["summary"])
        if not word.isdigit()
    }
    sample.words = sorted(words)
    # Methods found by a few words, as a person would look for them.
    methods: set[str] = set()
    for word in rng.sample(sample.words, min(10, len(sample.words))):
        found = get_json("/api/v1/methods?" + urlencode({"q": word, "limit": 100}))
        methods.update(m["slug"] for m in found["items"])
        if len(methods) >= 100:
            break
    sample.methods = sorted(methods)
    if not sample.initiatives or not sample.methods:
        raise RuntimeError("The database has no initiatives or methods: fill it first.")
    return sample


class VisitorMix:
    """The next request of an anonymous visitor: the home page, the knowledge bank, every
    other capability's list page and the open API."""

    def __init__(self, sample: Sample, rng: random.Random) -> None:
        self.sample = sample
        self.rng = rng
        paths = {
            "home": lambda: "/",
            "initiative list": self._initiative_list,
            "initiative list filtered": self._initiative_list_filtered,
            "initiative search": self._initiative_search,
            "initiative detail": self._initiative_detail,
            "method list": lambda: "/metoder/",
            "method detail": lambda: f"/metoder/{self.rng.choice(sample.methods)}/",
            "scienceshop": self._scienceshop,
            "surveys": lambda: "/enkater/",
            "arenas": lambda: "/arenor/",
            "challenges": lambda: "/utmaningar/",
            "support directory": lambda: "/stod/",
            "funding calls": lambda: "/utlysningar/",
            "impact totals": lambda: "/effekt/",
            "api initiatives": self._api_initiatives,
            "api initiatives filtered": self._api_initiatives_filtered,
            # A search: the unfiltered list is every method in one response (no pagination).
            "api methods": lambda: (
                "/api/v1/methods?" + urlencode({"q": self.rng.choice(sample.words)})
            ),
            "api other lists": lambda: self.rng.choice(OTHER_API_LISTS),
        }
        self.groups = [(name, paths[name]) for name in GROUP_WEIGHTS]
        self.weights = list(GROUP_WEIGHTS.values())

    def choose(self) -> tuple[str, str]:
        name, path = self.rng.choices(self.groups, weights=self.weights)[0]
        return name, path()

    def _filters(self) -> dict[str, list[str]]:
        facets = self.sample.facets
        names = self.rng.sample(sorted(facets), self.rng.randint(1, 2))
        return {name: [self.rng.choice(facets[name])] for name in names}

    def _initiative_list(self) -> str:
        return "/initiativ/" + self.rng.choice(["", "", "", "?page=2", "?sort=title"])

    def _initiative_list_filtered(self) -> str:
        return "/initiativ/?" + urlencode(self._filters(), doseq=True)

    def _initiative_search(self) -> str:
        words = self.rng.sample(self.sample.words, self.rng.randint(1, 2))
        return "/initiativ/?" + urlencode({"q": " ".join(words)})

    def _initiative_detail(self) -> str:
        return f"/initiativ/{self.rng.choice(self.sample.initiatives)}/"

    def _scienceshop(self) -> str:
        return self.rng.choice(["/forskarverkstad/", "/forskarverkstad/kunskap/"])

    def _api_initiatives(self) -> str:
        return f"/api/v1/initiatives?limit=20&offset={self.rng.randrange(0, 200)}"

    def _api_initiatives_filtered(self) -> str:
        query = self._filters()
        if self.rng.random() < 0.5:
            query["q"] = [self.rng.choice(self.sample.words)]
        return "/api/v1/initiatives?limit=20&" + urlencode(query, doseq=True)
