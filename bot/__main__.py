"""Entry point: ``python -m bot`` (run), ``console``, ``import FILE``, ``export``."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from telegram import Update
from telegram.error import InvalidToken, NetworkError

from bot.core.factfile import FactFileError
from bot.core.reads import CatalogReads
from bot.core.records import FactFile
from bot.logsafe import redact, setup_logging
from bot.settings import Settings, SettingsError, load_settings
from storage.base import StoreError

log = logging.getLogger("bot")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="招商助手: a Telegram bot for investment-promotion staff. "
        "With no command it runs the bot (long polling); settings come from BOT_* "
        "variables or .env (see .env.example).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", help="run the bot against Telegram (long polling); the default")
    console = commands.add_parser(
        "console",
        help="chat with the bot in the terminal, no token or network needed",
        description="Each line of standard input is a message to the bot; replies print as "
        "text with numbered buttons (type #N to press one). Exits 0 at end of input. "
        "Example: printf '/zone kunshan\\n' | python -m bot console",
    )
    console.add_argument(
        "--lang", choices=["zh", "en"], default="zh", help="your Telegram language"
    )
    console.add_argument(
        "--database",
        type=Path,
        default=None,
        help="database file (default: data/console.sqlite3, kept apart from the bot's own)",
    )
    importer = commands.add_parser(
        "import",
        help="load a fact file (YAML, CSV or XLSX) into the store",
        description="Validates the whole file first and applies it in one transaction: "
        "a bad file changes nothing, and the error names the record and the field.",
    )
    importer.add_argument("file", type=Path, help="the file to import")
    exporter = commands.add_parser(
        "export",
        help="write projects and events as XLSX and CSV files",
        description="Writes projects and events (optionally of one zone or sector) as "
        "XLSX and UTF-8 CSV files readable in Excel and WPS.",
    )
    exporter.add_argument("--zone", default=None, help="only this zone (any name /zone takes)")
    exporter.add_argument("--sector", default=None, help="only this sector (area or label)")
    exporter.add_argument("--out", type=Path, default=Path("export"), help="output folder")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    secrets = (settings.token.get_secret_value(),) if settings.token else ()
    setup_logging(settings.log_level, secrets)
    try:
        if args.command == "console":
            return _console(settings, args)
        if args.command == "import":
            return asyncio.run(_import(settings, args.file))
        if args.command == "export":
            return asyncio.run(_export(settings, args))
        return _run(settings)
    except (SettingsError, StoreError, FactFileError) as exc:
        print(f"error: {redact(str(exc), secrets)}", file=sys.stderr)
        return 2


def _run(settings: Settings) -> int:
    from bot.app import build_application
    from storage.lock import InstanceLock

    settings.token_value()  # a missing token stops here with its own clear line
    with InstanceLock(settings.database_path):
        app = build_application(settings)
        log.info("starting; database %s", settings.database_path)
        try:
            # run_polling handles SIGINT/SIGTERM: it stops fetching, lets handlers and jobs
            # finish, runs post_shutdown, and returns.
            app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
        except InvalidToken:
            # PTB's own message repeats the token: say it in our words instead.
            raise SettingsError(
                "BOT_TOKEN was rejected by Telegram; check it with @BotFather"
            ) from None
        except NetworkError as exc:
            raise SettingsError(
                f"cannot reach the Bot API at {settings.api_base_url} ({exc.message}); "
                "check the network or BOT_API_BASE_URL"
            ) from None
    log.info("stopped")
    return 0


def _console(settings: Settings, args: argparse.Namespace) -> int:
    from bot.console import run_console

    database = args.database or settings.database_path.with_name("console.sqlite3")
    settings = settings.model_copy(update={"database_path": database})
    return asyncio.run(run_console(settings, lang="en" if args.lang == "en" else "zh-hans"))


async def load_any(path: Path, store: CatalogReads) -> FactFile:
    """A file by its extension into a FactFile, or FactFileError worded for the terminal
    (the bot's own words, in English, without HTML)."""
    from bot.core.import_files import MAX_BYTES, FileProblem
    from bot.core.importing import read_upload
    from bot.texts.admin import cli_file_problem, cli_row_errors

    if not path.is_file():
        raise FactFileError([f"{path} does not exist or is not a file"])
    if path.stat().st_size > MAX_BYTES:
        raise FactFileError([f"{path.name} is larger than 20 MB"])
    try:
        result = await read_upload(path.name, path.read_bytes(), store)
    except FileProblem as exc:
        raise FactFileError([cli_file_problem(path.name, exc.code, exc.detail)]) from None
    if not result.ok or result.facts is None:
        raise FactFileError(result.problems or cli_row_errors(result.errors))
    return result.facts


async def _import(settings: Settings, path: Path) -> int:
    from bot.core.directory_rows import is_directory_file, read_directory
    from storage import Store

    store = await Store.open(settings.database_path)
    try:
        await store.seed()
        await store.load_directory()
        if is_directory_file(path):
            # A directory file (the shipped national_zones.csv format): adds or corrects rows.
            directory = await store.load_directory(read_directory(path), via="cli")
            assert directory is not None
            print(
                f"imported {path.name}: {len(directory.zones_created)} zones created, "
                f"{len(directory.added)} directory rows added, "
                f"{len(directory.corrected)} corrected"
            )
            return 0
        facts = await load_any(path, store)
        report = await store.apply_facts(facts, via="cli")
    finally:
        await store.close()
    print(
        f"imported {path.name}: {report.count('new')} new, {report.count('updated')} updated, "
        f"{report.count('unchanged')} unchanged"
    )
    for bucket in ("new", "updated"):
        for section, ids in getattr(report, bucket).items():
            print(f"  {bucket} {section}: {', '.join(ids[:10])}{' …' if len(ids) > 10 else ''}")
    if report.skipped_deleted:
        print(f"  left deleted: {', '.join(report.skipped_deleted[:10])}")
    return 0


async def _export(settings: Settings, args: argparse.Namespace) -> int:
    from bot.core.exporting import ExportScopeError, export_files
    from storage import Store

    store = await Store.open(settings.database_path)
    try:
        await store.seed()
        paths = await export_files(store, args.out, zone=args.zone, sector=args.sector)
    except ExportScopeError as exc:
        choices = f" (did you mean: {', '.join(exc.choices)})" if exc.choices else ""
        what = "is ambiguous" if exc.code == "ambiguous" else "is not a known zone or sector"
        print(f"error: {exc.what!r} {what}{choices}", file=sys.stderr)
        return 2
    finally:
        await store.close()
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
