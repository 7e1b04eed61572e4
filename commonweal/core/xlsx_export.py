"""XLSX downloads, with the same defusing of formulas as the CSV downloads (`csv_export`)."""

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from .csv_export import neutralise

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(
    header: Sequence[Any], rows: Iterable[Sequence[Any]], *, filename: str, title: str
) -> HttpResponse:
    """A one-sheet workbook of `rows` under `header`, every cell text, none a formula.

    A workbook is a zip written whole, so it is built in memory (write-only, row by row)
    before it is sent; a cell that starts like a formula gets the quote `neutralise` gives
    it, and text is never written as a formula.
    """
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_sheet_title(title))
    sheet.append([neutralise(cell) for cell in header])
    for row in rows:
        sheet.append([neutralise(cell) for cell in row])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _sheet_title(title: str) -> str:
    """Sheet names are at most 31 characters, without []:*?/\\."""
    cleaned = "".join(c for c in title if c not in "[]:*?/\\")[:31].strip()
    return cleaned or "Sheet"
