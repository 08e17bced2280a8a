"""The shared primitives: escaping of a person's text, stable numbers, links a node may carry."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from infra.web.pictures import svg


def test_hostile_text_is_escaped_quotes_included() -> None:
    hostile = '<script>alert("x")</script> & \'quoted\''
    escaped = svg.text(hostile)
    assert "<" not in escaped and ">" not in escaped and '"' not in escaped
    assert "'" not in escaped
    element = ET.fromstring(f'<t a="{svg.attribute(hostile)}">{escaped}</t>')
    assert element.text == hostile and element.get("a") == hostile


def test_characters_xml_cannot_carry_are_replaced_so_the_markup_stays_well_formed() -> None:
    escaped = svg.text("a\x00b\x07c\ud800d")
    assert ET.fromstring(f"<t>{escaped}</t>").text == "a\ufffdb\ufffdc\ufffdd"
    assert "\x00" not in escaped


def test_numbers_have_one_decimal_and_no_negative_zero() -> None:
    assert [svg.num(v) for v in (1.0, 1.25, -0.01, 200.04, 3.96)] == ["1", "1.2", "0", "200",
                                                                       "4"]


@pytest.mark.parametrize("href", ["javascript:alert(1)", " JavaScript:alert(1)",
                                  "data:text/html,x", "vbscript:x", ""])
def test_a_link_that_would_run_code_is_refused(href: str) -> None:
    with pytest.raises(ValueError, match="path or an http"):
        svg.safe_href(href)


def test_paths_and_web_addresses_are_accepted_links() -> None:
    assert svg.safe_href("/persons/1/network/2") == "/persons/1/network/2"
    assert svg.safe_href("https://example.org/x?a=1&b=2") == "https://example.org/x?a=1&b=2"


def test_shorten_marks_a_cut_and_leaves_short_text_alone() -> None:
    assert svg.shorten("Julie  Tremblay", 20) == "Julie Tremblay"
    assert svg.shorten("Banque alimentaire du quartier", 12) == "Banque alim…"


def test_picture_ids_are_valid_names_whatever_the_key() -> None:
    assert svg.picture_id("radar-title", 'a b"<c>') == "radar-title-a-b--c-"
    assert svg.picture_id("radar-title", "") == "radar-title"
