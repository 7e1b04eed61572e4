"""Members lists as files: reading an officer's CSV or XLSX upload.

Reading is bounded so that one upload cannot cost everyone much: the file's size, its
columns, its rows and (for XLSX, a zip) the size it unpacks to are checked before or
while it is read, and a file over a limit is refused with the limit named. Only UTF-8
(with or without a byte-order mark) and UTF-16 with its mark are read as text: guessing
another encoding would silently turn names into nonsense.
"""

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

from commonweal.core.errors import Refused

MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_COLUMNS = 40
MAX_ROWS = 200_000
MAX_CELL = 2000


def _refuse(message: str) -> Refused:
    return Refused(message, field="file")


def too_large() -> Refused:
    return _refuse(
        _("The file is larger than %(mb)d MB: split it and import the parts one by one.")
        % {"mb": MAX_BYTES // (1024 * 1024)}
    )


def read_table(data: bytes, name: str) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of the file's first sheet, every cell as text.

    A row's place in the list is its place in the spreadsheet less two (the header is
    row 1), so a problem can name the row the officer sees; empty rows stay as [].
    """
    if len(data) > MAX_BYTES:
        raise too_large()
    if not data.strip():
        raise _refuse(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        table = _xlsx_rows(data)
    elif name.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        raise _refuse(
            _("This is not a workbook we can read: save it as .xlsx (Excel) or .csv (UTF-8).")
        )
    else:
        table = _csv_rows(_text(data))
    rows: list[list[str]] = []
    header: list[str] | None = None
    for number, row in enumerate(table, start=1):
        cells = [_cell(value) for value in row]
        while cells and not cells[-1]:
            cells.pop()
        if len(cells) > MAX_COLUMNS:
            raise _refuse(
                _("Row %(row)d has %(n)d columns; a members list may have at most %(max)d.")
                % {"row": number, "n": len(cells), "max": MAX_COLUMNS}
            )
        if header is None:
            header = cells
            continue
        if len(rows) >= MAX_ROWS:
            raise _refuse(
                _("The file has more than %(max)d rows: split it and import the parts one by one.")
                % {"max": MAX_ROWS}
            )
        rows.append(cells)
    while rows and not rows[-1]:
        rows.pop()
    if not header or not rows:
        raise _refuse(_("The file has no rows under its header row."))
    return header, rows


def _text(data: bytes) -> str:
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _refuse(
            _(
                "The file is not in UTF-8 (line %(line)d is not): in your spreadsheet choose "
                '"Save as", then "CSV UTF-8", and upload that.'
            )
            % {"line": line}
        ) from None
    if "\x00" in text:
        raise _refuse(_("This is not a text file: upload a .csv or .xlsx members list."))
    return text


def _csv_rows(text: str) -> Iterable[Sequence[Any]]:
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as exc:
        raise _refuse(
            _("The file cannot be read as CSV at row %(row)d (%(error)s).")
            % {"row": reader.line_num, "error": exc}
        ) from None


def _xlsx_rows(data: bytes) -> Iterable[Sequence[Any]]:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _refuse(
            _("This workbook is damaged: open and save it again, or save it as CSV.")
        ) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise _refuse(
            _("The workbook unpacks to more than %(mb)d MB: split it, or save it as CSV.")
            % {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )
    try:
        # Formulas are read as their text (not their last result), so they are found.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = book.worksheets[0]
        yield from sheet.iter_rows(values_only=True)
    except Refused:
        raise
    except Exception:  # openpyxl raises many kinds for a malformed workbook
        raise _refuse(
            _("This workbook cannot be read: open and save it again, or save it as CSV.")
        ) from None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date() if not value.time() else value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()[:MAX_CELL]
