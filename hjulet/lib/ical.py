"""iCalendar (RFC 5545) text for a meeting, written by hand (pure Python, no Django):
one VEVENT, UTC times, escaped text and lines folded at 75 octets."""

import datetime

PRODUCT = "-//Hjulet//Forskarverkstad//SV"


def escape(text: str) -> str:
    """TEXT values (RFC 5545 3.3.11): backslash, semicolon, comma and newlines escaped."""
    return (
        (text or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets are continued on lines that start with a space
    (RFC 5545 3.1), never splitting a UTF-8 character."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        limit = 75 if not parts else 74
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def event(
    *,
    uid: str,
    starts_at: datetime.datetime,
    minutes: int,
    summary: str,
    description: str = "",
    location: str = "",
    url: str = "",
) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{_utc(datetime.datetime.now(datetime.UTC))}",
        f"DTSTART:{_utc(starts_at)}",
        f"DTEND:{_utc(starts_at + datetime.timedelta(minutes=minutes))}",
        f"SUMMARY:{escape(summary)}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{escape(description)}")
    if location:
        lines.append(f"LOCATION:{escape(location)}")
    if url:
        lines.append(f"URL:{url}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)
