"""The org chart as a Mermaid diagram: `OrgChart.to_mermaid()` and the docs page that shows it."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import attrs
from hypothesis import given
from hypothesis import strategies as st

from keyaccount import OrgChart, Position, reference
from keyaccount.org.diagram import mermaid_label
from keyaccount.testing import org_charts, org_texts

ROOT = Path(__file__).resolve().parent.parent
#: The chart the docs page draws (docs/org.md, "The chart as a diagram").
DOCS_CHART = "sales-management"

NODE = re.compile(r'^    (?P<name>[px]\d+)\["(?P<label>[^"\[\]<>\n]*(?:<br/>[^"\[\]<>\n]*)*)"\]$')
EDGE = re.compile(r"^    (?P<upper>[px]\d+) (?P<arrow>-->|-\.->) (?P<lower>p\d+)$")
#: What a label may hold besides the `<br/>` between lines: no Mermaid or HTML syntax.
FORBIDDEN = set('"[]<>{}|`&#;\n\r\t')


def syntax_in(label: str) -> set[str]:
    """The forbidden characters of a label outside its `<br/>` and its `#NN;` entity codes."""
    return set(re.sub(r"#\d+;", "", label.replace("<br/>", ""))) & FORBIDDEN


def parse(text: str) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """The boxes (name -> label) and arrows of a `to_mermaid` text; fails on any other line."""
    lines = text.split("\n")
    assert lines[0] == "flowchart TD"
    nodes: dict[str, str] = {}
    edges: list[tuple[str, str, str]] = []
    for line in lines[1:]:
        node, edge = NODE.match(line), EDGE.match(line)
        assert node or edge, f"not a box or an arrow: {line!r}"
        if node:
            assert node["name"] not in nodes
            nodes[node["name"]] = node["label"]
        elif edge:
            edges.append((edge["upper"], edge["arrow"], edge["lower"]))
    return nodes, edges


def decode(label: str) -> list[str]:
    """A label's lines as a reader of the diagram sees them (entity codes decoded)."""
    return [re.sub(r"#(\d+);", lambda m: chr(int(m[1])), line) for line in label.split("<br/>")]


def shown(*parts: str) -> list[str]:
    """The lines a label should show for `parts`: each line without control characters."""
    out: list[str] = []
    for part in dict.fromkeys(parts):
        for line in part.splitlines():
            kept = "".join(c for c in line if not unicodedata.category(c).startswith("C"))
            if kept.strip():
                out.append(kept)
    return out


# --- structure


def test_a_reference_chart_is_a_top_down_flowchart_of_titles_and_reporting_lines() -> None:
    chart = reference.load("key-account")
    nodes, edges = parse(chart.to_mermaid())
    assert nodes["p0"] == "执行总经理<br/>Executive general manager"
    assert nodes["p5"] == "销售代表<br/>Sales representative"
    # 销售代表 reports to 销售主管, who reports to 大客户部经理.
    assert ("p2", "-->", "p5") in edges
    assert ("p1", "-->", "p2") in edges
    assert len(nodes) == len(chart)
    assert len(edges) == len(chart) - 1


def test_the_text_is_deterministic_and_equal_charts_draw_alike() -> None:
    chart = reference.load("dealer-crm")
    rebuilt = OrgChart(
        chart.name,
        chart.title,
        chart.title_en,
        tuple(chart.positions),
        chart.departments,
        chart.source,
    )
    assert rebuilt == chart
    assert rebuilt is not chart
    assert chart.to_mermaid() == chart.to_mermaid() == rebuilt.to_mermaid()
    text = chart.to_mermaid()
    assert not text.endswith("\n")


def test_every_reference_chart_draws_every_position_once() -> None:
    for name in reference.names():
        chart = reference.load(name)
        nodes, edges = parse(chart.to_mermaid())
        assert [decode(nodes[f"p{i}"]) for i in range(len(chart))] == [
            [p.title, p.title_en] for p in chart.positions
        ]
        assert len(edges) == sum(p.superior is not None for p in chart.positions)


# --- escaping


def test_quotes_brackets_angle_brackets_and_newlines_are_escaped() -> None:
    nasty = Position(
        "x", 'Say "hi" [now] <b>&amp;</b> #35; {a|b} `code`', "line one\nline two\r\nthree", "d"
    )
    chart = OrgChart("n", "t", "t", (nasty,))
    nodes, _ = parse(chart.to_mermaid())
    label = nodes["p0"]
    assert not syntax_in(label)
    assert decode(label) == [
        'Say "hi" [now] <b>&amp;</b> #35; {a|b} `code`',
        "line one",
        "line two",
        "three",
    ]


def test_control_characters_are_left_out_and_an_empty_title_shows_the_id() -> None:
    assert mermaid_label("a\x00b\u200bc") == "abc"
    chart = OrgChart("n", "t", "t", (Position("clerk-1", "\x07", "", "d"),))
    nodes, _ = parse(chart.to_mermaid())
    assert decode(nodes["p0"]) == ["clerk-1"]
    assert mermaid_label("", "\n") == " "


def test_a_title_equal_to_its_english_title_is_shown_once() -> None:
    assert mermaid_label("Manager", "Manager") == "Manager"


def test_chinese_titles_and_their_punctuation_stay_readable() -> None:
    assert (
        mermaid_label("客服专员(销售)", "国庆节、中秋节（调休）")
        == "客服专员(销售)<br/>国庆节、中秋节（调休）"
    )


@given(st.lists(org_texts(max_size=20), min_size=1, max_size=3))
def test_any_text_becomes_a_label_without_mermaid_syntax_that_reads_back(
    parts: list[str],
) -> None:
    label = mermaid_label(*parts)
    assert not syntax_in(label)
    expected = shown(*parts)
    assert decode(label) == (expected or [" "])


# --- every position and reporting line, on generated charts


@given(org_charts(max_positions=10), st.data())
def test_every_position_and_reporting_line_of_a_generated_chart_is_drawn(
    generated: OrgChart, data: st.DataObject
) -> None:
    # Any titles at all (Chinese, quotes, brackets, control characters ...) on a generated tree.
    positions = tuple(
        attrs.evolve(p, title=data.draw(org_texts()), title_en=data.draw(org_texts()))
        for p in generated.positions
    )
    chart = OrgChart(generated.name, generated.title, generated.title_en, positions)
    text = chart.to_mermaid()
    nodes, edges = parse(text)
    box = {p.id: f"p{i}" for i, p in enumerate(chart.positions)}
    assert set(nodes) == set(box.values())
    for position in chart.positions:
        lines = decode(nodes[box[position.id]])
        assert lines == (shown(position.title, position.title_en) or shown(position.id) or [" "])
    expected = [(box[p.superior], "-->", box[p.id]) for p in chart.positions if p.superior]
    assert edges == expected
    assert text == chart.to_mermaid()


@given(org_charts(min_positions=2, max_positions=6), st.data())
def test_a_superior_missing_from_the_chart_is_drawn_with_a_dotted_line(
    chart: OrgChart, data: st.DataObject
) -> None:
    orphan = data.draw(st.integers(1, len(chart) - 1))
    missing = data.draw(st.sampled_from(["nobody", 'ghost "boss"', "p99"]))
    positions = tuple(
        attrs.evolve(p, superior=missing) if i == orphan else p
        for i, p in enumerate(chart.positions)
    )
    broken = OrgChart(chart.name, chart.title, chart.title_en, positions)
    nodes, edges = parse(broken.to_mermaid())
    assert decode(nodes["x0"]) == [missing, "(not in chart)"]
    assert ("x0", "-.->", f"p{orphan}") in edges
    assert len(edges) == len(chart) - 1


def test_a_cycle_is_drawn_as_it_is() -> None:
    a = Position("a", "甲", "A", "d", superior="b")
    b = Position("b", "乙", "B", "d", superior="a")
    _, edges = parse(OrgChart("n", "t", "t", (a, b)).to_mermaid())
    assert edges == [("p1", "-->", "p0"), ("p0", "-->", "p1")]


# --- the docs page


def test_the_docs_page_shows_the_diagram_of_its_reference_chart() -> None:
    page = (ROOT / "docs" / "org.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```mermaid\n(.*?)\n```$", page, flags=re.MULTILINE | re.DOTALL)
    assert blocks == [reference.load(DOCS_CHART).to_mermaid()], (
        "docs/org.md's mermaid block is stale: paste "
        f'reference.load("{DOCS_CHART}").to_mermaid() into it'
    )


def test_the_docs_site_renders_mermaid_blocks() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "name: mermaid" in config
    assert "pymdownx.superfences.fence_code_format" in config
