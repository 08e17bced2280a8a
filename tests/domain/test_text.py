"""The text rule: which characters a stored text may hold, as a table, and that aggregates
apply it whatever the entry point."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.accounts.account import Account
from domain.accounts.organization import Organization
from domain.accounts.team import Team
from domain.catalog import CATALOG_VERSIONS
from domain.errors import InvalidValue
from domain.text import check_characters, check_text


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1b",
                                       "\x1f", "\x7f", "\x80", "\x85", "\x9f",
                                       *map(chr, (0xD800, 0xDBFF, 0xDC00, 0xDFFF))])
def test_controls_del_c1_and_surrogates_are_refused_and_named(character):
    with pytest.raises(InvalidValue, match=f"U\\+{ord(character):04X} at position 2"):
        check_characters("ab" + character + "c", "a strength")


@pytest.mark.parametrize("text", ["\t", "\n", "\r", "\u00a0", "\u00e9", "\u2028", "\u200b",
                                  "\u202e", "\ufeff", "\U0001f600", "\uffff"])
def test_tab_line_breaks_and_printable_unicode_are_kept(text):
    assert check_characters("a" + text + "b", "a strength") == "a" + text + "b"


def test_carriage_returns_become_line_feeds_and_the_text_is_trimmed():
    assert check_text("  un\r\ndeux\rtrois\n\tquatre \r\n", "a goal") == "un\ndeux\ntrois\n\tquatre"


def test_the_length_is_counted_after_trimming():
    assert check_text(" " + "x" * 2000 + "\r\n", "a goal") == "x" * 2000
    with pytest.raises(InvalidValue, match="at most 2000"):
        check_text("x" * 2001, "a goal")


def test_an_organization_name_follows_the_rule():
    with pytest.raises(InvalidValue, match="organization name .* U\\+0000"):
        Organization.register("acme", "Acme\x00", "qc", CATALOG_VERSIONS[0])
    with pytest.raises(InvalidValue, match="at most 120"):
        Organization.register("acme", "A" * 121, "qc", CATALOG_VERSIONS[0])


def test_a_login_and_a_display_name_follow_the_rule():
    tenant = uuid4()
    with pytest.raises(InvalidValue, match="login .* U\\+0085"):
        Account.open(uuid4(), tenant, "so\x85phie", "Sophie", "person", "hash", "fr-CA")
    with pytest.raises(InvalidValue, match="display name .* U\\+DC00"):
        Account.open(uuid4(), tenant, "sophie", "Sophie\udc00", "person", "hash", "fr-CA")


def test_a_team_rename_follows_the_rule():
    team = Team.create(uuid4(), uuid4(), "Équipe nord", uuid4())
    with pytest.raises(InvalidValue, match="team name .* U\\+001B"):
        team.rename("\x1b[31mrouge", uuid4())
