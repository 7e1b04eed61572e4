"""The type of a file comes from its bytes; names never make a file acceptable."""

import io
import zipfile

import pytest

from commonweal.library import samples, sniff


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def of(content: bytes, name: str = "upload.bin") -> sniff.FileType:
    return sniff.sniff(io.BytesIO(content), name)


OOXML_TYPES = b'<?xml version="1.0"?><Types><Default ContentType="application/xml"/></Types>'


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (samples.pdf(), sniff.PDF),
        (samples.png(), sniff.PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64, sniff.JPEG),
        (b"GIF89a\x01\x00\x01\x00" + b"\x00" * 20, sniff.GIF),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 20, sniff.WEBP),
        (b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 20, sniff.WAV),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 20, sniff.MP3),
        (b"\xff\xfb\x90\x64" + b"\x00" * 40, sniff.MP3),
        (b"OggS\x00\x02" + b"\x00" * 22 + b"\x01vorbis", sniff.OGG_AUDIO),
        (b"OggS\x00\x02" + b"\x00" * 22 + b"\x80theora", sniff.OGG_VIDEO),
        (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00" + b"\x00" * 20, sniff.MP4),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00\x02\x00" + b"\x00" * 20, sniff.M4A),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\x00" * 20, sniff.WEBM),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska", sniff.MKV),
        (
            zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b""}),
            sniff.ODT,
        ),
        (
            zipped({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
            sniff.ODS,
        ),
        (zipped({"[Content_Types].xml": OOXML_TYPES, "word/document.xml": b"<w/>"}), sniff.DOCX),
        (zipped({"[Content_Types].xml": OOXML_TYPES, "xl/workbook.xml": b"<x/>"}), sniff.XLSX),
    ],
)
def test_accepted_types_are_recognised_by_content_whatever_the_name(content, expected):
    assert of(content, "misleading-name.exe") == expected


def test_text_flavour_follows_the_name_only_once_the_content_is_plain_utf8():
    body = "name,unit\nAna,Leeds\nBen,York — café\n".encode()
    assert of(body, "members.csv") == sniff.CSV
    assert of(body, "notes.md") == sniff.MARKDOWN
    assert of(body, "notes.pdf") == sniff.TEXT
    assert of(body, "") == sniff.TEXT


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "markup"),
        (b"  \n<html><body onload=alert(1)>", "markup"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "markup"),
        (b'<?xml version="1.0"?><svg/>', "markup"),
        (b"\xef\xbb\xbf<html>", "markup"),
        (b"Agenda\n\n<script>fetch('/members/export/')</script>", "markup"),
        (b"#!/bin/sh\nrm -rf /\n", "script"),
        (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56, "unknown"),
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56, "unknown"),
        (b"\x00\x00\x00\x20ftypheic" + b"\x00" * 20, "unknown"),
        ("UTF-16 text".encode("utf-16"), "unknown"),
        (b"\xc3\x28 not utf-8", "unknown"),
        (zipped({"payload.exe": b"MZ"}), "zip"),
        (b"PK\x03\x04 truncated archive", "zip"),
        (
            zipped(
                {
                    "[Content_Types].xml": b"application/vnd.ms-word.document.macroEnabled.main",
                    "word/document.xml": b"<w/>",
                }
            ),
            "macros",
        ),
    ],
)
def test_everything_else_is_refused(content, reason):
    with pytest.raises(sniff.NotAccepted) as refusal:
        of(content, "harmless.pdf")
    assert str(refusal.value) == reason


def test_an_aac_stream_is_not_taken_for_mp3():
    with pytest.raises(sniff.NotAccepted):
        of(b"\xff\xf1\x50\x80" + b"\x00" * 40)


def test_the_file_is_rewound_for_whoever_reads_it_next():
    file = io.BytesIO(samples.pdf())
    sniff.sniff(file, "a.pdf")
    assert file.tell() == 0
