"""Word-by-word differences between a motion and an amendment, readable without colour."""

import difflib
import re

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Past this many words on either side the comparison is not drawn (both texts still are):
# comparing costs up to the product of the two lengths, on every view of the page.
MAX_WORDS = 3000

_WORD = re.compile(r"\w+\s*|[^\w\s]\s*")


def _marked(tag: str, words: list[str]) -> str:
    text = "".join(words)
    core = text.rstrip()
    label, sign = (_("removed:"), "−") if tag == "del" else (_("added:"), "+")
    return format_html(
        '<{tag}><span class="diff-mark" aria-hidden="true">[{sign}</span>'
        '<span class="visually-hidden">{label} </span>{core}'
        '<span class="diff-mark" aria-hidden="true">]</span></{tag}>{rest}',
        tag=tag,
        sign=sign,
        label=label,
        core=core,
        rest=text[len(core) :],
    )


def word_diff(original: str, amended: str) -> SafeString | None:
    """The amended text with removed words in <del> and added ones in <ins>, each also
    marked in text ("[−…]", "[+…]", and "removed:"/"added:" for screen readers), so the
    difference does not rest on colour or strike-through alone. None if too long to compare."""
    old = _WORD.findall(original.strip())
    new = _WORD.findall(amended.strip())
    if len(old) > MAX_WORDS or len(new) > MAX_WORDS:
        return None
    matcher = difflib.SequenceMatcher(
        None, [w.rstrip() for w in old], [w.rstrip() for w in new], autojunk=False
    )
    parts: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(new[j1:j2])))
            continue
        if parts and not parts[-1][-1:].isspace() and (old[i1:i2] or new[j1:j2])[0][0].isalnum():
            parts.append(" ")  # the words around kept their space on the other side
        if op in ("delete", "replace"):
            removed = old[i1:i2]
            if op == "replace" and not removed[-1][len(removed[-1].rstrip()) :]:
                removed = [*removed[:-1], removed[-1] + " "]
            parts.append(_marked("del", removed))
        if op in ("insert", "replace"):
            parts.append(_marked("ins", new[j1:j2]))
    return mark_safe("".join(parts))
