"""The `barometre` command: migrate, create an organization, rebuild, run the projector or a worker."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import NoReturn

import psycopg
from tqdm import tqdm

from domain.accounts.account import normalise_login
from domain.errors import DomainError
from infra import dead_letter_cli
from infra.celery_app import DEFAULT_QUEUE, make_celery
from infra.platform import WriteSide, all_projections, locate_servers, prepare_database
from infra.projector_process import projection_named, run_projector, yield_cpu_to_requests
from infra.rebuild import RebuildFailed, rebuild_named
from infra.settings import SettingsError, get_settings

Handler = Callable[[argparse.Namespace], int]
USAGE_ERROR = 2


class _Parser(argparse.ArgumentParser):
    """Reports a usage error as one line, like every other error of the command."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_ERROR, f"erreur: {message}\n")


def _fail(message: str, code: int = USAGE_ERROR) -> int:
    # Errors may quote a multi-line cause (psycopg does); one line keeps scripts simple.
    print(f"erreur: {' '.join(message.split())}", file=sys.stderr)
    return code


# Handlers ------------------------------------------------------------------------------------
def migrate_command(args: argparse.Namespace) -> int:
    applied = prepare_database(locate_servers())
    print(f"migrations appliquées (applied): {', '.join(applied)}" if applied
          else "base à jour, aucune migration (database up to date)")
    return 0


def _admin_password(args: argparse.Namespace) -> str:
    return (args.admin_password or os.environ.get("BAROMETRE_ADMIN_PASSWORD")
            or getpass.getpass("Mot de passe de l'administrateur (admin password): "))


def create_organization_command(args: argparse.Namespace) -> int:
    password = _admin_password(args)
    side = WriteSide(locate_servers(), pool_size=2)
    try:
        result = side.accounts.register_organization(
            args.code, args.name, args.region, args.admin_login, args.admin_name, password)
    finally:
        side.close()
    print(f"organisation créée (organization created): {result.id}"
          f" administrateur (admin): {normalise_login(args.admin_login)}")
    return 0


def rebuild_command(args: argparse.Namespace) -> int:
    names = [p.name for p in all_projections()] if args.all else [args.projection]
    try:
        for name in names:  # every name checked before anything is read
            projection_named(name)
    except ValueError as exc:
        return _fail(str(exc))
    conninfo = locate_servers().projector_db().conninfo()
    try:
        with tqdm(desc="rebuild", unit=" événements", file=sys.stderr, disable=None) as bar:
            events = rebuild_named(conninfo, names, bar.update, lambda total: bar.reset(total=total))
    except RebuildFailed as exc:  # nothing changed: the live views and tracking are as they were
        return _fail(f"reconstruction annulée, rien n'a changé (rebuild cancelled, nothing"
                     f" changed): {exc}", code=1)
    for name in names:
        print(f"{name}: {events[name]} événements rejoués (events replayed)")
    return 0


def projector_command(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    servers = locate_servers()
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    yield_cpu_to_requests(get_settings().projector_nice)
    print("projecteur démarré (projector started); SIGTERM ou Ctrl-C pour arrêter", flush=True)
    run_projector(servers, stop)
    print("projecteur arrêté (projector stopped)", flush=True)
    return 0


def worker_command(args: argparse.Namespace) -> int:
    app = make_celery(locate_servers(), queue=args.queue)
    app.worker_main(["worker", f"--pool={args.pool}", f"--concurrency={args.concurrency}",
                     f"--loglevel={args.loglevel}"])
    return 0


def up_command(args: argparse.Namespace) -> int:
    from infra.supervisor import up
    return up()


def web_command(args: argparse.Namespace) -> int:
    from infra.web.server import serve
    return serve()


HANDLERS: dict[str, Handler] = {
    "up": up_command,
    "web": web_command,
    "migrate": migrate_command,
    "create-organization": create_organization_command,
    "rebuild": rebuild_command,
    "projector": projector_command,
    "worker": worker_command,
    "dead-letters": dead_letter_cli.command,
}


# Parser --------------------------------------------------------------------------------------
def _add_create_organization(sub: argparse._SubParsersAction[_Parser]) -> None:
    cmd = sub.add_parser("create-organization", help="crée un organisme et son administrateur"
                         " (create an organization and its admin; platform operator)")
    cmd.add_argument("--code", required=True, metavar="SLUG",
                     help="code de l'organisme (organization code): a-z, 0-9, -")
    cmd.add_argument("--name", required=True, help="nom de l'organisme (organization name)")
    # The domain checks the region, so the list of regions lives in one place.
    cmd.add_argument("--region", required=True, metavar="{qc,fr}", help="région (region)")
    cmd.add_argument("--admin-login", required=True, metavar="LOGIN",
                     help="identifiant de l'administrateur (admin login)")
    cmd.add_argument("--admin-name", required=True, metavar="NAME",
                     help="nom affiché de l'administrateur (admin display name)")
    cmd.add_argument("--admin-password", metavar="P", help="mot de passe (password); sinon"
                     " BAROMETRE_ADMIN_PASSWORD ou invite (otherwise env var or prompt)")


def _add_rebuild(sub: argparse._SubParsersAction[_Parser]) -> None:
    cmd = sub.add_parser("rebuild", help="reconstruit des projections depuis la position 0"
                         " (rebuild projections from position 0)")
    target = cmd.add_mutually_exclusive_group(required=True)
    target.add_argument("projection", nargs="?", help="nom de la projection (projection name)")
    target.add_argument("--all", action="store_true", help="toutes (all projections)")


def _add_worker(sub: argparse._SubParsersAction[_Parser]) -> None:
    cmd = sub.add_parser("worker", help="lance un worker Celery (run a Celery worker)")
    cmd.add_argument("--pool", default="threads", help="pool Celery (default: threads)")
    cmd.add_argument("--concurrency", type=int, default=2, help="tâches en parallèle (default: 2)")
    cmd.add_argument("--loglevel", default="INFO", help="niveau de journal (log level)")
    cmd.add_argument("--queue", default=DEFAULT_QUEUE, help="file de tâches (task queue)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="barometre", description="Baromètre : exploitation de la plateforme"
                     " (platform operations).")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")
    sub.add_parser("migrate", help="crée la base et applique les migrations"
                   " (create the database, apply migrations)")
    _add_create_organization(sub)
    _add_rebuild(sub)
    sub.add_parser("projector", help="lance le projecteur jusqu'à SIGTERM/SIGINT"
                   " (run the projector until SIGTERM/SIGINT)")
    _add_worker(sub)
    dead_letter_cli.add_parser(sub)
    sub.add_parser("up", help="démarre toute la plateforme avec des données de démonstration"
                   " (start the whole platform with demo data)")
    sub.add_parser("web", help="sert l'API et les pages (serve the API)")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:  # usage errors and --help: a code, not an exception, for callers
        return stop.code if isinstance(stop.code, int) else USAGE_ERROR
    try:
        return HANDLERS[args.command](args)
    except (DomainError, SettingsError, dead_letter_cli.OperatorError) as exc:
        return _fail(str(exc))
    except psycopg.OperationalError as exc:
        return _fail(f"base de données injoignable (database unreachable): {exc}", code=1)


if __name__ == "__main__":
    sys.exit(main())
