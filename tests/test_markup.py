"""Crossref title markup: rendered per format, everything else inert text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refman import markup

CASES = [
    pytest.param(
        "Growth of <i>Escherichia coli</i>",
        "Growth of Escherichia coli",
        "Growth of <i>Escherichia coli</i>",
        "Growth of *Escherichia coli*",
        id="italic",
    ),
    pytest.param(
        "CO<sub>2</sub> and Ca<sup>2+</sup>",
        "CO2 and Ca2+",
        "CO<sub>2</sub> and Ca<sup>2+</sup>",
        "CO~2~ and Ca^2+^",
        id="sub-sup",
    ),
    pytest.param(
        "<b>Bold</b> <scp>dna</scp>",
        "Bold dna",
        '<b>Bold</b> <span style="font-variant:small-caps;">dna</span>',
        "**Bold** [dna]{.smallcaps}",
        id="bold-small-caps",
    ),
    pytest.param(
        "<jats:italic>In vivo</jats:italic> &amp; <em>in vitro</em>",
        "In vivo & in vitro",
        "<i>In vivo</i> &amp; <i>in vitro</i>",
        "*In vivo* & *in vitro*",
        id="jats-and-entities",
    ),
    pytest.param(
        "Why <script>alert(1)</script> is text",
        "Why <script>alert(1)</script> is text",
        "Why &lt;script&gt;alert(1)&lt;/script&gt; is text",
        "Why \\<script\\>alert(1)\\</script\\> is text",
        id="script-is-text",
    ),
    pytest.param(
        "a <i>open never closed",
        "a open never closed",
        "a <i>open never closed</i>",
        "a *open never closed*",
        id="unclosed-tag-closed",
    ),
    pytest.param(
        "stray </i>close",
        "stray close",
        "stray close",
        "stray close",
        id="stray-close-dropped",
    ),
    pytest.param(
        "<i>x <b>y</i> z</b>",
        "x y z",
        "<i>x <b>y</b></i> z",
        "*x **y*** z",
        id="crossed-tags-balanced",
    ),
    pytest.param("1 < 2 > 0", "1 < 2 > 0", "1 &lt; 2 &gt; 0", "1 \\< 2 \\> 0", id="bare-angles"),
]


@pytest.mark.parametrize(("source", "plain", "html", "md"), CASES)
def test_renderings(source: str, plain: str, html: str, md: str) -> None:
    assert markup.to_plain(source) == plain
    assert markup.to_html(source) == html
    assert markup.to_markdown(source) == md


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("<em>x</em> &amp; y", "<i>x</i> & y", id="normalised-and-decoded"),
        pytest.param("<script>x</script>", "<script>x</script>", id="other-tags-stay-text"),
        pytest.param(
            '<span style="font-variant: small-caps">Ab</span>',
            '<span style="font-variant:small-caps;">Ab</span>',
            id="small-caps-span",
        ),
    ],
)
def test_to_csl(source: str, expected: str) -> None:
    assert markup.to_csl(source) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("plain title", False, id="plain"),
        pytest.param("a <i>b</i>", True, id="tag"),
        pytest.param("a &amp; b", True, id="entity"),
        pytest.param("a <script> b", False, id="unknown-tag"),
    ],
)
def test_has_markup(text: str, expected: bool) -> None:
    assert markup.has_markup(text) is expected


@given(st.text(alphabet=st.sampled_from(list('ab <>/&;ibsupc"='))))
def test_html_never_leaks_a_tag_other_than_the_five(text: str) -> None:
    html = markup.to_html(text)
    stripped = html
    for tag in ("<i>", "</i>", "<b>", "</b>", "<sub>", "</sub>", "<sup>", "</sup>", "</span>"):
        stripped = stripped.replace(tag, "")
    stripped = stripped.replace('<span style="font-variant:small-caps;">', "")
    assert "<" not in stripped
    assert ">" not in stripped


@given(st.text())
def test_plain_of_text_without_tags_or_entities_is_identity(text: str) -> None:
    if "<" not in text and "&" not in text:
        assert markup.to_plain(text) == text
