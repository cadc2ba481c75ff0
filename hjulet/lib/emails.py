"""One canonical form of an e-mail address, so that two spellings of the same address are
one account and two different addresses never are.

Look-alike letters are the danger: PostgreSQL's ``UPPER`` folds the dotless ``ı`` to ``I``,
so a case-insensitive lookup matched ``anna@gmaıl.com`` (a domain anyone can register) to
``anna@gmail.com``. The canonical form keeps every letter that makes a different address
different: NFKC (``ſ`` → ``s``, full-width letters → ASCII), Unicode case folding of the
local part, and the domain in its IDNA ASCII form (``gmaıl.com`` → ``xn--gmal-…``), which
is lowercase and can only equal another domain that the DNS treats as the same one.
"""

import unicodedata

import idna


class InvalidEmail(ValueError):
    """The address has no usable local part or domain."""


def canonical_domain(domain: str) -> str:
    domain = unicodedata.normalize("NFKC", domain).strip().rstrip(".")
    if not domain:
        raise InvalidEmail("empty domain")
    try:
        return idna.encode(domain, uts46=True).decode("ascii").lower()
    except (idna.IDNAError, UnicodeError) as error:
        raise InvalidEmail(str(error)) from None


def canonical_email(address: str) -> str:
    """The canonical form of ``address``; raises :class:`InvalidEmail` when it has none."""
    address = unicodedata.normalize("NFKC", address or "").strip()
    local, at, domain = address.rpartition("@")
    if not at or not local:
        raise InvalidEmail("no local part")
    return f"{unicodedata.normalize('NFKC', local.casefold())}@{canonical_domain(domain)}"
