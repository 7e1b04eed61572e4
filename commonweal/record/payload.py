"""What a record entry may hold: ids, hashes, short codes, numbers, dates and booleans.

The record is never erased, so it must never hold what erasure has to reach: names,
titles, reasons, comments, email addresses, any free text. Those live in the domain
tables; an entry names the row (an id) or binds the content (a sha256). This guard
refuses the rest when the entry is written, so a new service cannot slip a text in.
"""

import hashlib
import json
import re
from typing import Any

# Lower-case, no spaces, no "@": a stage, a method, an outcome, "app.model:pk".
CODE = re.compile(r"[a-z0-9][a-z0-9_.:-]{0,63}")
SHA256 = re.compile(r"[0-9a-f]{64}")
ISO_MOMENT = re.compile(
    r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?)?"
)
SUBJECT = re.compile(r"[a-z0-9][a-z0-9_.:-]{0,119}")
MAX_ITEMS = 100_000


class UnfitForRecord(ValueError):
    """A payload value that could hold free text: a programming error in the caller."""


def content_sha256(content: Any) -> str:
    """What binds a text (or a list of names) to the record without holding it: the sha256
    of its UTF-8 (a text) or of its canonical JSON (keys sorted, no spaces)."""
    if not isinstance(content, str):
        content = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(content.encode()).hexdigest()


def check_subject(subject: str) -> None:
    if not SUBJECT.fullmatch(subject):
        raise UnfitForRecord(f"record subject {subject!r} is not an 'app.model:pk' or a code")


def check_payload(payload: dict[str, Any], kind: str = "") -> None:
    """Refuse any value that is not an id, hash, short code, number, date or boolean."""
    _check(payload, f"{kind} payload")


def _check(value: Any, where: str) -> None:
    if value is None or isinstance(value, bool | int | float):
        return
    if isinstance(value, str):
        if (
            not value
            or CODE.fullmatch(value)
            or SHA256.fullmatch(value)
            or ISO_MOMENT.fullmatch(value)
        ):
            return
        raise UnfitForRecord(
            f"{where}: {value!r} is not an id, hash, code or date: keep texts in the "
            "domain table and put its id or sha256 in the record"
        )
    if isinstance(value, list | tuple):
        if len(value) > MAX_ITEMS:
            raise UnfitForRecord(f"{where}: a list of {len(value)} items")
        for item in value:
            _check(item, where)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or not CODE.fullmatch(key):
                raise UnfitForRecord(f"{where}: key {key!r} is not a code")
            _check(item, f"{where}[{key}]")
        return
    raise UnfitForRecord(f"{where}: a {type(value).__name__} has no place in the record")
