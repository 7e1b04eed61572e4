"""What a file is, judged by its bytes and never by its name.

A name can say anything; an HTML page renamed `minutes.pdf` must not reach a
member's browser. Each accepted type is recognised by its magic bytes (or, for
office files, by the entries inside the ZIP); anything else is refused. SVG and
HTML are never accepted because they can carry script.
"""

import codecs
import zipfile
from dataclasses import dataclass
from typing import IO

HEAD_BYTES = 4096
CHUNK = 1024 * 1024
DOCUMENT, IMAGE, AUDIO, VIDEO = "document", "image", "audio", "video"


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    kinds: tuple[str, ...]
    """The library kinds a file of this type may be filed under; the first is the default."""


PDF = FileType("application/pdf", "pdf", (DOCUMENT,))
PNG = FileType("image/png", "png", (IMAGE,))
JPEG = FileType("image/jpeg", "jpg", (IMAGE,))
GIF = FileType("image/gif", "gif", (IMAGE,))
WEBP = FileType("image/webp", "webp", (IMAGE,))
MP3 = FileType("audio/mpeg", "mp3", (AUDIO,))
OGG_AUDIO = FileType("audio/ogg", "ogg", (AUDIO,))
OGG_VIDEO = FileType("video/ogg", "ogv", (VIDEO,))
WAV = FileType("audio/wav", "wav", (AUDIO,))
M4A = FileType("audio/mp4", "m4a", (AUDIO,))
MP4 = FileType("video/mp4", "mp4", (VIDEO,))
MOV = FileType("video/quicktime", "mov", (VIDEO,))
WEBM = FileType("video/webm", "webm", (VIDEO, AUDIO))
MKV = FileType("video/x-matroska", "mkv", (VIDEO, AUDIO))
ODT = FileType("application/vnd.oasis.opendocument.text", "odt", (DOCUMENT,))
ODS = FileType("application/vnd.oasis.opendocument.spreadsheet", "ods", (DOCUMENT,))
ODP = FileType("application/vnd.oasis.opendocument.presentation", "odp", (DOCUMENT,))
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
    (DOCUMENT,),
)
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", (DOCUMENT,)
)
PPTX = FileType(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pptx",
    (DOCUMENT,),
)
TEXT = FileType("text/plain; charset=utf-8", "txt", (DOCUMENT,))
MARKDOWN = FileType("text/markdown; charset=utf-8", "md", (DOCUMENT,))
CSV = FileType("text/csv; charset=utf-8", "csv", (DOCUMENT,))

ODF_TYPES = {t.content_type: t for t in (ODT, ODS, ODP)}
OOXML_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
MP4_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"F4A "}
MP4_VIDEO_BRANDS = {
    b"isom",
    b"iso2",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"M4V ",
    b"M4VP",
    b"dash",
    b"3gp4",
    b"3gp5",
    b"3g2a",
    b"f4v ",
}
TEXT_TYPES = {"md": MARKDOWN, "markdown": MARKDOWN, "csv": CSV}
MARKUP_SIGNS = (b"<html", b"<svg", b"<script", b"<!doctype", b"<?xml", b"<iframe", b"<body")

# What the upload form tells members they may send.
ACCEPTED_EXTENSIONS = {
    DOCUMENT: ["pdf", "odt", "ods", "odp", "docx", "xlsx", "pptx", "txt", "md", "csv"],
    IMAGE: ["png", "jpg", "gif", "webp"],
    AUDIO: ["mp3", "ogg", "wav", "m4a", "webm"],
    VIDEO: ["mp4", "mov", "webm", "mkv", "ogv"],
}


class NotAccepted(Exception):
    """The content is not a type the library accepts; the message says what it looked like."""


def sniff(file: IO[bytes], name: str = "") -> FileType:
    """The type of `file` by its content. `name` only chooses among text flavours."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    found = _by_magic(head) or _by_zip(file, head)
    if found is not None:
        return found
    if _is_utf8_text(file):
        stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if stripped.startswith(b"<") or any(sign in head.lower() for sign in MARKUP_SIGNS):
            raise NotAccepted("markup")
        if stripped.startswith(b"#!"):
            raise NotAccepted("script")
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        return TEXT_TYPES.get(extension, TEXT)
    raise NotAccepted("unknown")


def _by_magic(head: bytes) -> FileType | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return WAV
    if head.startswith(b"ID3") or _is_mp3_frame(head):
        return MP3
    if head.startswith(b"OggS"):
        return OGG_VIDEO if b"\x80theora" in head else OGG_AUDIO
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in MP4_AUDIO_BRANDS:
            return M4A
        if brand in MP4_VIDEO_BRANDS:
            return MP4
        if brand == b"qt  ":
            return MOV
        return None
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return WEBM if b"webm" in head[:64] else MKV
    return None


def _is_mp3_frame(head: bytes) -> bool:
    """An MPEG audio layer III frame header: 11 sync bits, a real version, layer III."""
    if len(head) < 3 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version = (head[1] >> 3) & 0b11
    layer = (head[1] >> 1) & 0b11
    bitrate = head[2] >> 4
    return version != 0b01 and layer == 0b01 and bitrate not in (0b0000, 0b1111)


def _by_zip(file: IO[bytes], head: bytes) -> FileType | None:
    """ODF and OOXML are ZIP archives; only their directory and a tiny entry are read."""
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        archive = zipfile.ZipFile(file)
        names = set(archive.namelist())
        if "mimetype" in names:
            info = archive.getinfo("mimetype")
            if info.file_size > 200:
                raise NotAccepted("zip")
            mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
            if mimetype in ODF_TYPES:
                return ODF_TYPES[mimetype]
        if "[Content_Types].xml" in names:
            if archive.getinfo("[Content_Types].xml").file_size > 1_000_000:
                raise NotAccepted("zip")
            if b"macroEnabled" in archive.read("[Content_Types].xml"):
                raise NotAccepted("macros")
            for part, filetype in OOXML_PARTS.items():
                if part in names:
                    return filetype
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError) as exc:
        raise NotAccepted("zip") from exc
    finally:
        file.seek(0)
    raise NotAccepted("zip")


def _is_utf8_text(file: IO[bytes]) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := file.read(CHUNK):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        file.seek(0)
    return True
