"""iCalendar text checked against RFC 5545 by hand."""

import datetime

from hjulet.lib.ical import escape, event, fold


def test_escape_text_values():
    assert escape("Möte; rum 3, plan 2\nTa med\\kaffe") == (
        "Möte\\; rum 3\\, plan 2\\nTa med\\\\kaffe"
    )


def test_fold_long_lines_at_75_octets_without_splitting_characters():
    line = "DESCRIPTION:" + "å" * 40  # 12 + 80 octets
    folded = fold(line)
    parts = folded.split("\r\n ")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert "".join(parts) == line
    assert len(parts[0].encode()) == 75 - 1  # 12 + 31 × 2 = 74: one more å would be 76
    assert fold("SHORT:x") == "SHORT:x"


def test_event_has_the_required_properties_in_utc():
    start = datetime.datetime(
        2026, 3, 2, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=1))
    )
    text = event(uid="abc@hjulet", starts_at=start, minutes=90, summary="Möte, steg 2")
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert "VERSION:2.0" in lines and "UID:abc@hjulet" in lines
    assert "DTSTART:20260302T083000Z" in lines
    assert "DTEND:20260302T100000Z" in lines
    assert "SUMMARY:Möte\\, steg 2" in lines
    assert any(line.startswith("DTSTAMP:") and line.endswith("Z") for line in lines)
    assert lines.index("BEGIN:VEVENT") < lines.index("END:VEVENT")
