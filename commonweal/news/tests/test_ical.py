"""The hand-written iCalendar writer, checked against RFC 5545's rules and a real parser."""

from datetime import UTC, date, datetime, timedelta, timezone

import icalendar

from commonweal.news import ical

STAMP = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def build(events):
    return ical.calendar(
        name="My calendar",
        events=events,
        stamp=STAMP,
        domain="example.org",
        base_url="https://example.org/",
    )


def test_text_values_escape_backslash_comma_semicolon_and_newlines():
    assert ical.escape_text("a\\b,c;d\ne\r\nf") == "a\\\\b\\,c\\;d\\ne\\nf"


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    line = "SUMMARY:" + "é" * 100
    folded = ical.fold(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(pieces)) == line


def test_every_line_ends_with_crlf_and_times_are_utc():
    paris = timezone(timedelta(hours=1))
    text = build(
        [
            {
                "uid": "meeting-1",
                "summary": "Branch meeting",
                "description": "",
                "start": datetime(2026, 12, 1, 19, 0, tzinfo=paris),
                "end": datetime(2026, 12, 1, 21, 0, tzinfo=paris),
                "url": "/meetings/1/",
            }
        ]
    )
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "DTSTART:20261201T180000Z\r\n" in text
    assert "DTEND:20261201T200000Z\r\n" in text


def test_a_real_parser_reads_back_what_we_wrote():
    tricky = "Housing; rents, repairs \\ and\nmore " + "long words " * 20
    text = build(
        [
            {
                "uid": "meeting-7",
                "summary": tricky,
                "description": "Leeds, Branch",
                "start": datetime(2026, 12, 1, 18, 0, tzinfo=UTC),
                "end": datetime(2026, 12, 1, 20, 0, tzinfo=UTC),
                "url": "/meetings/7/",
            },
            {
                "uid": "deadline-x",
                "summary": "Support closes",
                "description": "",
                "start": date(2026, 12, 5),
                "end": None,
                "url": "/policy/3/",
            },
        ]
    )
    calendar = icalendar.Calendar.from_ical(text)
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [tricky, "Support closes"]
    assert events[0]["UID"] == "meeting-7@example.org"
    assert events[0].decoded("DTSTART") == datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
    assert events[0].decoded("DTSTAMP") == STAMP
    assert str(events[0]["URL"]) == "https://example.org/meetings/7/"
    assert events[1].decoded("DTSTART") == date(2026, 12, 5)
    assert events[1].decoded("DTEND") == date(2026, 12, 6)
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar["PRODID"]
