"""What the apps that put items on a meeting's agenda tell its pages about them.

The policy process puts its amendments to an e-conference as agenda items; the meeting and
vote pages show each with the text it amends and the difference. The meetings app cannot
read policy's tables (policy calls into meetings, not the other way), so policy registers
how to find the two texts of a subject it owns ("policy.amendment:7")."""

from collections.abc import Callable

# subject kind ("policy.amendment") → the original and the amended text for an id, or None
_AMENDED_TEXTS: dict[str, Callable[[int], tuple[str, str] | None]] = {}


def register_amended_texts(kind: str, texts: Callable[[int], tuple[str, str] | None]) -> None:
    _AMENDED_TEXTS[kind] = texts


def amended_texts(subject: str) -> tuple[str, str] | None:
    kind, _, pk = subject.rpartition(":")
    texts = _AMENDED_TEXTS.get(kind)
    if texts is None or not pk.isdigit():
        return None
    return texts(int(pk))
