"""`barometre dead-letters`: list, retry and skip parked streams (platform operator, ADR 26)."""

from __future__ import annotations

import argparse
import getpass
import unicodedata
from collections.abc import Callable
from itertools import groupby
from typing import Any
from uuid import UUID

import psycopg

from infra import dead_letters
from infra.dead_letter_replay import DeadLetterReplay, Outcome
from infra.platform import all_projections, event_mapper, locate_servers

REASON_LENGTH = 500


class OperatorError(ValueError):
    """A bad argument: one line, exit code 2."""


def _stream(text: str) -> UUID:
    try:
        return UUID(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"identifiant de flux invalide (invalid stream id): {text!r}") from None


def _text(what: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        value = value.strip()
        if not value or len(value) > REASON_LENGTH or any(
                unicodedata.category(c).startswith("C") for c in value):
            raise argparse.ArgumentTypeError(
                f"{what}: 1 to {REASON_LENGTH} printable characters")
        return value
    return check


def add_parser(sub: argparse._SubParsersAction[Any]) -> None:
    cmd = sub.add_parser("dead-letters", help="flux parqués par le projecteur: lister, rejouer,"
                         " ignorer (parked streams: list, retry, skip; platform operator)")
    cmd.add_argument("--skipped", action="store_true",
                     help="liste aussi les événements ignorés (also list skipped events)")
    actions = cmd.add_subparsers(dest="action", metavar="ACTION")
    retry = actions.add_parser("retry", help="rejoue dans l'ordre (re-apply in order; success"
                               " un-parks)")
    target = retry.add_mutually_exclusive_group(required=True)
    target.add_argument("stream", nargs="?", type=_stream, help="identifiant du flux (stream id)")
    target.add_argument("--all", action="store_true", help="tous les flux parqués (all)")
    skip = actions.add_parser("skip", help="n'applique jamais l'événement parqué, reprend"
                              " la suite (never apply the parked event; go on after it)")
    skip.add_argument("stream", type=_stream, help="identifiant du flux (stream id)")
    skip.add_argument("--reason", required=True, type=_text("--reason"),
                      help="pourquoi (why), recorded")
    skip.add_argument("--by", type=_text("--by"), default=None,
                      help="qui (who), recorded; default: the system user")


def command(args: argparse.Namespace) -> int:
    conninfo = locate_servers().projector_db().conninfo()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        if args.action is None:
            return _list(conn, args.skipped)
        letters = dead_letters.parked(conn, None if getattr(args, "all", False) else args.stream)
        if not letters:
            raise OperatorError(f"aucun flux parqué (no parked stream) {args.stream or ''}".strip())
        replay = DeadLetterReplay(all_projections(), event_mapper())
        outcomes: list[Outcome] = []
        for letter in letters:
            if args.action == "retry":
                outcomes.append(replay.retry(conn, letter))
            else:
                outcomes.append(replay.skip(conn, letter, args.by or getpass.getuser(), args.reason))
            print(outcomes[-1].line(), flush=True)
    return 0 if all(o.parked_at is None for o in outcomes) else 1


def _list(conn: psycopg.Connection[Any], with_skipped: bool) -> int:
    letters = dead_letters.parked(conn)
    streams = [list(group) for _, group in groupby(
        letters, key=lambda d: (d.tenant_id, d.application, d.originator_id))]
    for stream in streams:
        print(dead_letters.summary(stream, dead_letters.waiting_behind(conn, stream[0])))
    print(f"{len(streams)} flux parqués (parked streams)")
    if with_skipped:
        for letter in dead_letters.skipped(conn):
            print(dead_letters.skipped_line(letter))
    return 0
