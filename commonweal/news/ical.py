"""Writing iCalendar (RFC 5545) text by hand: it is small, and needs no dependency.

What RFC 5545 asks of us: CRLF line endings, content lines folded at 75 octets
(continuation lines start with one space and never split a UTF-8 character),
TEXT values with backslash, comma, semicolon and newlines escaped, a UID and a
DTSTAMP on every event, and times in UTC (the `Z` form).
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

LINE_OCTETS = 75


def escape_text(value: str) -> str:
    return (
        (value or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets, joined by CRLF and a space."""
    pieces: list[str] = []
    current = ""
    size = 0
    limit = LINE_OCTETS
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, LINE_OCTETS - 1
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _when(name: str, value: date | datetime) -> str:
    if isinstance(value, datetime):
        return f"{name}:{utc(value)}"
    return f"{name};VALUE=DATE:{value.strftime('%Y%m%d')}"


def calendar(
    *, name: str, events: Iterable[dict[str, Any]], stamp: datetime, domain: str, base_url: str
) -> str:
    """A VCALENDAR of events (uid, summary, description, start, end or None, url)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Commonweal//Calendar feed//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        start = event["start"]
        end = event.get("end")
        if end is None:
            end = start + (timedelta(days=1) if not isinstance(start, datetime) else timedelta(0))
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape_text(event['uid'])}@{domain}",
            f"DTSTAMP:{utc(stamp)}",
            _when("DTSTART", start),
            _when("DTEND", end),
            f"SUMMARY:{escape_text(event['summary'])}",
        ]
        if event.get("description"):
            lines.append(f"DESCRIPTION:{escape_text(event['description'])}")
        if event.get("url"):
            lines.append(f"URL:{base_url.rstrip('/')}{event['url']}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
