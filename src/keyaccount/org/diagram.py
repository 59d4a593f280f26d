"""How does the chart look as a picture? The org chart as a Mermaid flowchart.

`OrgChart.to_mermaid()` (which calls `to_mermaid` here) writes a chart as the text of a
Mermaid ``flowchart TD``: one box per position, labelled with the seed's title and the
English title, and one arrow from each superior to each position reporting to it.
JupyterLab, GitHub and the documentation site (Material for MkDocs) draw that text as a
diagram; no plotting package is needed.

The text is deterministic (positions in the chart's order, then their reporting lines)
and safe for any title: quotes, brackets, ``<``, ``&``, ``#`` and other characters the
Mermaid syntax or its HTML labels give a meaning are written as Mermaid's numeric entity
codes (``#34;`` for ``"``), line breaks as ``<br/>``, and control characters are left
out. Box names are generated (``p0``, ``p1`` ... in the chart's order), so a position id
never has to be valid Mermaid. A superior that is not in the chart (which `check_org`
reports as ``missing-superior``) is drawn as a box of its own, ``x0`` ..., labelled
"not in chart", with a dotted arrow, so that every reporting line is still shown.

Examples:
    >>> from keyaccount import reference
    >>> print(reference.load("customer-service").to_mermaid())
    flowchart TD
        p0["营销总监<br/>Marketing director"]
        p1["客服部经理<br/>Customer service manager"]
        p2["客服部主管<br/>Customer service supervisor"]
        p3["客服专员<br/>Customer service specialist"]
        p0 --> p1
        p1 --> p2
        p2 --> p3
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from keyaccount.org.chart import OrgChart
    from keyaccount.org.model import Position

__all__ = ["mermaid_label", "to_mermaid"]

#: ASCII characters that mean nothing to Mermaid inside a quoted label, nor to HTML.
_PLAIN_ASCII: Final = frozenset(" -_.,:/'()+*!?@=")
#: Written between label lines, and where a title holds a line break.
_LINE_BREAK: Final = "<br/>"
_INDENT: Final = "    "


def _escape(line: str) -> str:
    """One line of a label, with every character Mermaid or HTML could read escaped."""
    return "".join(
        char
        if char.isalnum()
        or char in _PLAIN_ASCII
        or (ord(char) > 0x7F and unicodedata.category(char)[0] in "LNP")
        else f"#{ord(char)};"
        for char in line
    )


def _printable(line: str) -> str:
    """`line` without control, format, surrogate and unassigned characters."""
    return "".join(c for c in line if not unicodedata.category(c).startswith("C"))


def mermaid_label(*parts: str) -> str:
    """The text of a Mermaid node label: the non-empty ``parts``, one per line, escaped.

    Each part is split at its line breaks; empty lines are dropped, and a part equal to
    one before it is written once. The result contains no ``"``, ``[``, ``]``, ``<`` or
    ``>`` except those of the ``<br/>`` between lines, and no line break.

    Args:
        parts: the texts to show, in order (e.g. a seed title and its English title).

    Returns:
        The label, ready to be written between the double quotes of ``p0["..."]``; a
        single space when nothing printable is left.

    Examples:
        >>> mermaid_label('客服专员(销售)', 'Say "hi" <now>\\n[twice]')
        '客服专员(销售)<br/>Say #34;hi#34; #60;now#62;<br/>#91;twice#93;'
    """
    lines: list[str] = []
    seen: set[str] = set()
    for part in parts:
        if part in seen:
            continue
        seen.add(part)
        kept = (_printable(line) for line in part.splitlines())
        lines.extend(_escape(line) for line in kept if line.strip())
    return _LINE_BREAK.join(lines) or " "


def _position_label(position: Position) -> str:
    """A position's titles, or its id when neither title has anything printable."""
    label = mermaid_label(position.title, position.title_en)
    return mermaid_label(position.id) if label == " " else label


def to_mermaid(chart: OrgChart) -> str:
    """The chart as a Mermaid ``flowchart TD``: positions as boxes, reporting lines as arrows.

    Args:
        chart: any chart, sound or not (cycles and missing superiors are drawn as they are).

    Returns:
        The Mermaid text, one statement per line, without a trailing newline: the
        ``flowchart TD`` header, one ``pN["title<br/>title_en"]`` box per position in
        the chart's order, one ``xN`` box per superior the chart lacks, then one arrow
        per position that has a superior, superior first (``p0 --> p1``; dotted,
        ``x0 -.-> p3``, from a missing superior).
    """
    node = {position.id: f"p{index}" for index, position in enumerate(chart.positions)}
    missing: dict[str, str] = {}
    for position in chart.positions:
        superior = position.superior
        if superior is not None and superior not in node and superior not in missing:
            missing[superior] = f"x{len(missing)}"
    lines = ["flowchart TD"]
    lines.extend(f'{_INDENT}{node[p.id]}["{_position_label(p)}"]' for p in chart.positions)
    lines.extend(
        f'{_INDENT}{name}["{mermaid_label(superior, "(not in chart)")}"]'
        for superior, name in missing.items()
    )
    for position in chart.positions:
        superior = position.superior
        if superior is None:
            continue
        if superior in node:
            lines.append(f"{_INDENT}{node[superior]} --> {node[position.id]}")
        else:
            lines.append(f"{_INDENT}{missing[superior]} -.-> {node[position.id]}")
    return "\n".join(lines)
