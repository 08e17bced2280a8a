"""The `barometre` command, run in this process: what it stores, and one line per error."""

from __future__ import annotations

import re
import secrets
from uuid import UUID

import pytest

from domain.errors import NotFound
from infra.cli import main
from infra.platform import all_projections
from infra.settings import get_settings
from tests.conftest import PASSWORD

ORG_ID = re.compile(r"\(organization created\): ([0-9a-f-]{36}) ")


def _slug() -> str:
    return f"cli-{secrets.token_hex(4)}"


def _create(slug: str, region: str = "qc", login: str = "Admin-CLI") -> list[str]:
    return ["create-organization", "--code", slug, "--name", f"Organisme {slug}",
            "--region", region, "--admin-login", login, "--admin-name", "Admin CLI",
            "--admin-password", PASSWORD]


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("erreur: ")
    return lines[0]


def test_an_organization_created_from_the_command_line_lets_its_admin_log_in(
        cli_env, write_side, capsys):
    slug = _slug()

    assert main(_create(slug)) == 0

    out = capsys.readouterr().out
    organization_id = UUID(ORG_ID.search(out).group(1))
    assert "administrateur (admin): admin-cli" in out
    admin = write_side.accounts.authenticate(slug, "admin-cli", PASSWORD)
    assert (admin.tenant_id, admin.role) == (organization_id, "org_admin")
    assert write_side.accounts.organization(organization_id).region == "qc"


def test_the_admin_password_can_come_from_the_environment(cli_env, write_side, monkeypatch):
    slug = _slug()
    monkeypatch.setenv("BAROMETRE_ADMIN_PASSWORD", PASSWORD)
    argv = _create(slug)[:-2]  # without --admin-password

    assert main(argv) == 0
    assert write_side.accounts.authenticate(slug, "admin-cli", PASSWORD).role == "org_admin"


def test_a_bad_region_is_refused_with_one_line(cli_env, write_side, count_events, capsys):
    slug, stored = _slug(), count_events("Accounts")

    assert main(_create(slug, region="be")) == 2

    assert "region" in _one_error_line(capsys)
    assert count_events("Accounts") == stored
    with pytest.raises(NotFound):
        write_side.accounts.organization(write_side.accounts.tenant_of(slug))


def test_a_bad_organization_code_is_refused_with_one_line(cli_env, count_events, capsys):
    stored = count_events("Accounts")

    assert main(_create("Pas Un Code!")) == 2

    assert "organization code" in _one_error_line(capsys)
    assert count_events("Accounts") == stored


def test_a_duplicate_organization_code_is_refused_with_one_line(
        cli_env, write_side, count_events, capsys):
    slug = _slug()
    assert main(_create(slug)) == 0
    first = write_side.accounts.organization(write_side.accounts.tenant_of(slug))
    capsys.readouterr()
    stored = count_events("Accounts")

    assert main(_create(slug, region="fr", login="autre-admin")) == 2

    assert slug in _one_error_line(capsys)
    assert count_events("Accounts") == stored
    assert write_side.accounts.organization(first.id) == first


def test_a_usage_error_is_one_line_too(cli_env, capsys):
    assert main(["create-organization", "--code", _slug()]) == 2
    assert "required" in _one_error_line(capsys)


def test_rebuilding_an_unknown_projection_is_refused_with_one_line(cli_env, capsys):
    assert main(["rebuild", "no_such_view"]) == 2
    assert "no_such_view" in _one_error_line(capsys)


def test_rebuilding_every_projection_keeps_every_read_model_as_it_was(
        cli_env, populated_org, catch_up, read_tables, capsys):
    catch_up()
    tables = tuple(t for p in all_projections() for t in p.tables)
    before = read_tables(tables)

    assert main(["rebuild", "--all"]) == 0

    assert read_tables(tables) == before
    out = capsys.readouterr().out
    assert all(f"{p.name}: " in out for p in all_projections())


def test_migrating_an_up_to_date_database_applies_nothing(cli_env, capsys):
    assert main(["migrate"]) == 0
    assert "aucune migration" in capsys.readouterr().out


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("BAROMETRE_PROJECTOR_NICE", "25", "BAROMETRE_PROJECTOR_NICE doit être entre 0 et 19"),
    ("BAROMETRE_SERVICE_THREADS", "0", "BAROMETRE_SERVICE_THREADS doit être au moins 1"),
    ("BAROMETRE_SERVICE_THREADS", "quatre", "BAROMETRE_SERVICE_THREADS doit être un entier"),
])
def test_a_setting_out_of_its_range_is_refused_in_one_line(cli_env, monkeypatch, capsys,
                                                           name, value, expected):
    monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    assert main(["migrate"]) == 2
    assert expected in _one_error_line(capsys)
