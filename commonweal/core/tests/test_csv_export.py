"""CSV exports: what a spreadsheet would run comes out as text, numbers stay numbers."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from commonweal.core.csv_export import (
    FORMULA_START,
    csv_response,
    in_chunks,
    link_by_pk,
    neutralise,
)
from commonweal.members.models import Member

HOSTILE = [
    '=HYPERLINK("http://evil","x")',
    "+1+1",
    "@SUM(A1)",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "\u00a0@SUM(A1)",
    "+cmd|' /C calc'!A0",
]


def runs_in_a_spreadsheet(cell: str) -> bool:
    return cell.startswith(FORMULA_START) or cell.lstrip().startswith(FORMULA_START)


def download(response) -> tuple[bytes, list[list[str]]]:
    raw = b"".join(response.streaming_content)
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("text", HOSTILE)
def test_formulas_come_out_as_text_that_reads_as_typed(text):
    cell = neutralise(text)
    assert cell == "'" + text
    assert not runs_in_a_spreadsheet(cell)


def test_real_numbers_stay_numbers_and_plain_text_is_untouched():
    assert [neutralise(v) for v in (-3, 2.5, -0.5, Decimal("-7.25"), 0)] == [
        "-3",
        "2.5",
        "-0.5",
        "-7.25",
        "0",
    ]
    assert neutralise("-3") == "'-3"  # typed text, not a number: a spreadsheet would compute it
    assert [neutralise(v) for v in ("Free buses", "", None, True)] == [
        "Free buses",
        "",
        "",
        "True",
    ]


def test_the_download_is_utf8_with_a_bom_and_names_its_file():
    response = csv_response(
        ["Title", "Votes"], [["Café = ok", 3], ["=1+1", -2]], filename="décisions.csv"
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''d%C3%A9cisions.csv" in response["Content-Disposition"]
    raw, rows = download(response)
    assert raw.startswith(b"\xef\xbb\xbfTitle,Votes\r\n")
    assert rows == [["Title", "Votes"], ["Café = ok", "3"], ["'=1+1", "-2"]]


def test_rows_are_read_only_as_the_client_receives_them():
    read = []

    def rows():
        for n in range(1000):
            read.append(n)
            yield [n]

    response = csv_response(["n"], rows(), filename="n.csv")
    assert read == []
    chunks = iter(response.streaming_content)
    next(chunks)
    next(chunks)
    assert 0 < len(read) < 1000


cells = st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from("=+-@\t\r \u00a0\n\"',;A1(")),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.none(),
)


@given(st.lists(st.lists(cells, min_size=1, max_size=5), max_size=8))
def test_no_cell_a_spreadsheet_reads_starts_a_formula_unless_it_was_a_number(table):
    _raw, rows = download(csv_response(["a"], table, filename="t.csv"))
    assert len(rows) == len(table) + 1
    for sent, got in zip(table, rows[1:], strict=True):
        assert len(got) == len(sent)
        for value, cell in zip(sent, got, strict=True):
            if isinstance(value, int | float | Decimal):
                assert cell == str(value)
            elif runs_in_a_spreadsheet(cell):
                pytest.fail(f"{value!r} came out as {cell!r}")
            else:
                # Nothing is lost: what was typed is there, after the quote if one was added.
                typed = "" if value is None else value
                assert cell in (typed, "'" + typed)


@given(st.text())
def test_neutralising_only_ever_adds_one_quote_in_front(text):
    cell = neutralise(text)
    assert cell == text or cell == "'" + text
    assert not runs_in_a_spreadsheet(cell)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 2, 3, 10])
def test_in_chunks_returns_every_row_once_in_order(make_member, org, size):
    for name in ["B", "A", "B", "C", "A"]:
        make_member(unit=org.leeds, full_name=name)
    queryset = Member.objects.filter(unit=org.leeds).order_by("-full_name", "pk")
    chunks = list(in_chunks(queryset, size=size))
    assert all(0 < len(chunk) <= size for chunk in chunks)
    assert [m.pk for chunk in chunks for m in chunk] == [m.pk for m in queryset]


def test_in_chunks_needs_a_total_ordering():
    with pytest.raises(ValueError, match="primary key"):
        next(in_chunks(Member.objects.order_by("full_name")))


def test_links_by_key_are_the_absolute_urls_reverse_gives():
    page = link_by_pk("https://example.org/", "decisions:detail")
    assert [page(7), page(123)] == [
        "https://example.org" + reverse("decisions:detail", args=[7]),
        "https://example.org" + reverse("decisions:detail", args=[123]),
    ]
