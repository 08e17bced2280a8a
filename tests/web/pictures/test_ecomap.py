"""The ecomap: one node per relationship, lines styled by quality, a legend, links, a table."""

from __future__ import annotations

import dataclasses

import pytest

from domain.errors import InvalidValue
from infra.web.pictures.ecomap import ecomap_svg, ecomap_table
from infra.web.pictures.ecomap_words import MapRelationship
from tests.web.pictures.parsing import SVG, parse, texts, with_class
from tests.web.pictures.relationships import FEW, many, rel
from tests.web.pictures.words import ECOMAP


def test_one_node_and_one_line_per_relationship() -> None:
    root = parse(ecomap_svg(FEW, ECOMAP))
    assert len(with_class(root, "node")) == len(with_class(root, "tie")) == 6
    assert sorted(n.get("data-closeness") for n in with_class(root, "node")) == [
        "inner", "inner", "middle", "middle", "middle", "outer"]


def test_the_line_style_follows_the_quality() -> None:
    root = parse(ecomap_svg(FEW, ECOMAP))
    ties = {t.get("data-quality"): t for t in with_class(root, "tie")}
    width = {q: float(t.find(SVG + "line").get("stroke-width", "")) for q, t in ties.items()}  # type: ignore[union-attr]
    assert width["5"] > width["4"] > width["3"]
    assert ties["2"].find(SVG + "line").get("stroke-dasharray")  # type: ignore[union-attr]
    assert ties["4"].find(SVG + "line").get("stroke-dasharray") is None  # type: ignore[union-attr]
    assert len([e for e in ties["1"] if e.get("class") == "break"]) == 2
    assert not [e for e in ties["2"] if e.get("class") == "break"]


def test_nodes_show_an_icon_by_type_their_name_and_support_tags() -> None:
    root = parse(ecomap_svg(FEW, ECOMAP))
    uses = {u.get("href") for u in root.iter(SVG + "use")}
    assert {"#icon-family", "#icon-partner", "#icon-colleague", "#icon-neighbour",
            "#icon-professional"} <= uses
    symbols = {s.get("id") for s in root.iter(SVG + "symbol")}
    assert symbols == {"icon-family", "icon-partner", "icon-colleague", "icon-neighbour",
                       "icon-professional"}
    words = texts(root)
    assert {"Maman", "Julie Tremb…", "É", "P", "I"} <= set(words)
    assert {"Très soutenante", "Conflictuelle", "Collègue", "Information"} <= set(words)


def test_a_node_with_a_link_is_a_labelled_link_and_the_map_a_group() -> None:
    root = parse(ecomap_svg(FEW, ECOMAP))
    assert root.get("role") == "group"
    (link,) = root.iter(SVG + "a")
    assert link.get("href") == "/r/1"
    assert link.get("aria-label") == ("Maman, Famille, Cercle intime, Très soutenante,"
                                      " Émotionnel, Pratique")
    unlinked = [n for n in with_class(root, "node") if n.get("aria-hidden") == "true"]
    assert len(unlinked) == 5


def test_without_links_the_map_is_one_image() -> None:
    plain = [dataclasses.replace(r, href=None) for r in FEW]
    assert parse(ecomap_svg(plain, ECOMAP)).get("role") == "img"


def test_a_link_that_would_run_code_is_refused() -> None:
    with pytest.raises(ValueError, match="path or an http"):
        ecomap_svg([rel(1, "X", href="javascript:alert(1)")], ECOMAP)


def test_hostile_names_and_links_are_escaped() -> None:
    hostile = rel(1, '<script>alert("x")</script>', href='/r/1"><script>x</script>',
                  label="<img src=x onerror=alert(1)>")
    markup = ecomap_svg([hostile], ECOMAP)
    assert "<script>" not in markup and "<img" not in markup
    root = parse(markup)
    assert next(root.iter(SVG + "a")).get("href") == '/r/1"><script>x</script>'
    assert ecomap_table([hostile], ECOMAP).rows[0][:2] == (
        '<script>alert("x")</script>', "Ami ou amie (<img src=x onerror=alert(1)>)")


def test_the_text_alternative_lists_every_relationship_in_the_maps_order() -> None:
    table = ecomap_table(FEW, ECOMAP)
    assert table.columns == ECOMAP.columns
    assert [row[0] for row in table.rows] == ["Maman", "Luc", "Frère Paul", "M. Gagnon",
                                              "Julie Tremblay", "Patron"]
    assert table.rows[4] == ("Julie Tremblay", "Professionnel (travailleuse sociale)",
                             "Cercle du milieu", "Très soutenante", "Information")
    assert table.rows[2][4] == "aucun"


def test_an_empty_network_draws_the_person_and_the_circles() -> None:
    root = parse(ecomap_svg([], ECOMAP))
    assert with_class(root, "node") == [] and len(with_class(root, "centre")) == 1
    assert len([c for c in root.iter(SVG + "circle") if c.get("fill") == "none"]) == 3
    assert ecomap_table([], ECOMAP).rows == ()


def test_sixty_relationships_are_sixty_nodes() -> None:
    root = parse(ecomap_svg(many(60), ECOMAP))
    assert len(with_class(root, "node")) == 60 and len(ecomap_table(many(60), ECOMAP).rows) == 60


def test_the_same_network_in_any_order_gives_the_same_markup() -> None:
    assert ecomap_svg(many(25), ECOMAP) == ecomap_svg(list(reversed(many(25))), ECOMAP)


def test_supports_are_kept_in_the_vocabularys_order() -> None:
    assert rel(1, "A", supports=("social", "emotional")).supports == ("emotional", "social")


@pytest.mark.parametrize("change", [{"relationship_type": "boss"}, {"quality": 6},
                                    {"closeness": "far"}, {"supports": ("money",)}])
def test_a_value_outside_the_domains_vocabulary_is_refused(change: dict[str, object]) -> None:
    fields = {**dataclasses.asdict(rel(1, "A")), **change}
    with pytest.raises(InvalidValue):
        MapRelationship(**fields)  # type: ignore[arg-type]


def test_words_missing_a_quality_are_refused() -> None:
    with pytest.raises(ValueError, match="qualities"):
        dataclasses.replace(ECOMAP, qualities={1: "Conflictuelle"})
