"""Entry point: ``python -m bot`` (run), ``console``, ``import FILE``, ``export``, ``backup FILE``,
``restore FILE``, ``extract FILE_OR_URL``."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bot.core.factfile import FactFileError
from bot.core.reads import CatalogReads
from bot.core.records import FactFile
from bot.logsafe import redact, setup_logging
from bot.settings import Settings, SettingsError, load_settings
from storage.base import StoreError
from storage.health import fault_line, fault_of

if TYPE_CHECKING:
    from telegram.ext import Application

    from bot.core.importing import Flush

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
    extractor = commands.add_parser(
        "extract",
        help="draft fact files from news articles, for review before import",
        description="For each article (a .txt, .md, .html, .docx or .pdf file, or a link) "
        "writes DIR/<stem>.yaml: draft records (zone, companies, projects, events, "
        "figures) in the fact-file format, each with the sentence it came from under "
        "`review:`. Numbers are copied as written. Review the file, then load it with "
        "`python -m bot import`. Zones already in the store are referred to by id.",
    )
    extractor.add_argument(
        "inputs",
        nargs="+",
        metavar="FILE_OR_URL",
        help="article files (.txt .md .html .docx .pdf) or links (http/https)",
    )
    extractor.add_argument("--out", type=Path, default=Path("drafts"), help="output folder")
    extractor.add_argument(
        "--zone",
        default=None,
        help="the zone (id or any name /zone takes) for articles that name none the rules "
        "recognise; a zone the article names always wins",
    )
    extractor.add_argument(
        "--database",
        type=Path,
        default=None,
        help="the store whose zones (names, aliases, the national directory) and companies "
        "drafts refer to (default: BOT_DATABASE_PATH)",
    )
    backup = commands.add_parser(
        "backup",
        help="copy the database to FILE (safe while the bot runs)",
        description="Copies the database with SQLite's online backup API (a running bot "
        "goes on meanwhile), checks the copy (integrity_check) and prints what it holds.",
    )
    backup.add_argument("file", type=Path, help="where to write the backup")
    restore = commands.add_parser(
        "restore",
        help="put a backup in place of the database (stop the bot first)",
        description="Refuses while a bot runs on the database. Checks FILE (SQLite, this "
        "bot's schema, not newer than this bot, intact), keeps the current database as "
        "<database>.before-restore and swaps FILE in atomically.",
    )
    restore.add_argument("file", type=Path, help="the backup to restore")
    return parser


# The exit status of a command whose reader closed the pipe early (`| head`): what the shell
# reports for a process ended by SIGPIPE (128 + 13).
SIGPIPE_STATUS = 141


def main(argv: Sequence[str] | None = None) -> int:
    """The command line. A reader that stops early (`python -m bot export | head`) ends the
    command quietly, with no traceback (the Python docs' "Note on SIGPIPE")."""
    try:
        try:
            status = _main(argv)
        finally:
            sys.stdout.flush()  # a closed pipe shows here (after --help too), not at exit
    except BrokenPipeError:
        # Nothing more can be written: stdout goes to devnull so the flush at exit cannot
        # raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return SIGPIPE_STATUS
    return status


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    secrets = settings.secrets()
    setup_logging(settings.log_level, secrets, settings.log_format)
    try:
        if args.command == "console":
            return _console(settings, args)
        if args.command in ("import", "export"):
            from storage.health import check_database

            check_database(settings.database_path)  # refused in one line, never half-used
            if args.command == "import":
                return asyncio.run(_import(settings, args.file))
            return asyncio.run(_export(settings, args))
        if args.command == "extract":
            from storage.health import check_database

            if args.database is not None:
                settings = settings.model_copy(update={"database_path": args.database})
            check_database(settings.database_path)  # refused in one line, never half-used
            return asyncio.run(_extract(settings, args))
        if args.command == "backup":
            return _backup(settings, args.file)
        if args.command == "restore":
            return _restore(settings, args.file)
        return _run(settings)
    except (SettingsError, StoreError, FactFileError) as exc:
        return _fail(settings, redact(str(exc), secrets))
    except BrokenPipeError:
        raise  # the reader closed stdout: not a storage fault (main ends quietly)
    except (sqlite3.Error, OSError) as exc:
        # A storage fault (locked, full, read-only, damaged): one line naming the cause.
        fault = fault_of(exc)
        if fault is None:
            raise
        return _fail(settings, fault_line(fault, settings.database_path))


def _fail(settings: Settings, message: str) -> int:
    """The one line an expected failure ends with: ``error: …``, or a JSON log line."""
    if settings.log_format == "json":
        log.critical("error: %s", message)
    else:
        print(f"error: {message}", file=sys.stderr)
    return 2


def _run(settings: Settings) -> int:
    # python-telegram-bot only where the bot runs: the CLI's import, export and backup start
    # without it (about 0.14 s of CPU each).
    from telegram import Update
    from telegram.error import InvalidToken, NetworkError, TelegramError

    from bot import longlived
    from bot.app import build_application
    from storage.health import check_database
    from storage.lock import InstanceLock

    # Local checks first (settings, then the database), so a bad file is reported as such
    # even when the network is down; Telegram comes last.
    settings.token_value()  # a missing token stops here with its own clear line
    with InstanceLock(settings.database_path):
        check_database(settings.database_path)
        app = build_application(settings)
        longlived.enable()
        log.info("starting (%s); database %s", settings.mode, settings.database_path)
        try:
            # run_polling/run_webhook handle SIGINT/SIGTERM: they stop fetching, let handlers
            # and jobs finish, run post_shutdown, and return.
            if settings.webhook_url is not None:
                _run_webhook(app, settings)
            else:
                # Polling deletes any webhook first (python-telegram-bot always does).
                app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
        except TelegramError as exc:
            # PTB's "Invalid server response", or an error status whose body "failed" parsing
            # (said by the cause: PTB re-raises a 404 as "token rejected").
            answer = _not_json(exc)
            if answer is not None:
                raise SettingsError(_not_the_bot_api(settings, answer)) from None
            if isinstance(exc, InvalidToken):
                # PTB's own message repeats the token: say it in our words instead.
                raise SettingsError(
                    "BOT_TOKEN was rejected by Telegram; check it with @BotFather"
                ) from None
            if isinstance(exc, NetworkError):
                raise SettingsError(_unreachable(settings, exc.message[:200])) from None
            raise SettingsError(
                f"the Bot API at {settings.api_base_url} refused to start the bot: {exc.message}"
            ) from None
    log.info("stopped")
    return 0


def _not_json(error: BaseException) -> str | None:
    """The HTTP status of an answer that was not JSON, if that is what ``error`` comes from."""
    cause: BaseException | None = error
    while cause is not None:
        text = str(cause)
        if "Invalid server response" in text:
            return "200"
        if ". Parsing the server response" in text:
            return text.partition(". Parsing")[0][:60]
        cause = cause.__cause__
    return None


def _not_the_bot_api(settings: Settings, status: str) -> str:
    return (
        f"the Bot API at {settings.api_base_url} answered with something that is not the Bot "
        f"API ({status}, not JSON: a captive portal or a wrong address?); check "
        f"BOT_API_BASE_URL{' and BOT_PROXY_URL' if settings.proxy_url else ''}"
    )


def _unreachable(settings: Settings, reason: str) -> str:
    if settings.proxy_url is not None:
        return (
            f"cannot reach the Bot API at {settings.api_base_url} through the proxy "
            f"{settings.proxy_shown()} ({reason}); check BOT_PROXY_URL (and BOT_API_BASE_URL)"
        )
    return (
        f"cannot reach the Bot API at {settings.api_base_url} ({reason}); "
        "check the network or BOT_API_BASE_URL"
    )


def _run_webhook(app: Application, settings: Settings) -> None:  # type: ignore[type-arg]
    from telegram import Update

    assert settings.webhook_url is not None and settings.webhook_secret is not None
    host, _, port = settings.webhook_listen.rpartition(":")
    # The reverse proxy forwards the public URL's path unchanged to this listener.
    path = urlsplit(settings.webhook_url).path.strip("/")
    try:
        app.run_webhook(
            listen=host.strip("[]"),
            port=int(port),
            url_path=path,
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret.get_secret_value(),
            allowed_updates=Update.ALL_TYPES,
            drop_pending_updates=False,
        )
    except OSError as exc:
        raise SettingsError(
            f"cannot listen on BOT_WEBHOOK_LISTEN={settings.webhook_listen}: {exc.strerror}"
        ) from None


def _backup(settings: Settings, target: Path) -> int:
    from storage.backup import backup

    report = backup(settings.database_path, target)
    print(f"backed up {settings.database_path} to {report.summary()}; integrity_check: ok")
    return 0


def _restore(settings: Settings, source: Path) -> int:
    from storage.backup import restore
    from storage.lock import InstanceLock

    # The bot's own single-instance lock: held by a running bot, so restore refuses; held
    # here, so no bot starts halfway through the swap.
    lock = InstanceLock(settings.database_path)
    try:
        lock.acquire()
    except StoreError as exc:
        raise StoreError(f"nothing was restored: {exc}") from None
    try:
        counts, kept = restore(source, settings.database_path)
    finally:
        lock.release()
    shown = ", ".join(f"{n} {name}" for name, n in counts.items())
    print(f"restored {source} into {settings.database_path}: {shown}")
    if kept is not None:
        print(f"the previous database is kept as {kept}")
    return 0


def _console(settings: Settings, args: argparse.Namespace) -> int:
    from bot import longlived
    from bot.console import run_console

    longlived.enable()
    database = args.database or settings.database_path.with_name("console.sqlite3")
    settings = settings.model_copy(update={"database_path": database})
    return asyncio.run(run_console(settings, lang="en" if args.lang == "en" else "zh-hans"))


async def load_any(path: Path, store: CatalogReads, flush: Flush | None = None) -> FactFile:
    """A file by its extension into a FactFile, or FactFileError worded for the terminal
    (the bot's own words, in English, without HTML). ``flush``: receives a spreadsheet's
    records in chunks (then not in the FactFile)."""
    from bot.core.import_files import MAX_BYTES, FileProblem
    from bot.core.importing import read_upload
    from bot.texts.admin import cli_file_problem, cli_row_errors

    if not path.is_file():
        raise FactFileError([f"{path} does not exist or is not a file"])
    if path.stat().st_size > MAX_BYTES:
        raise FactFileError([f"{path.name} is larger than 20 MB"])
    try:
        result = await read_upload(path.name, path.read_bytes(), store, flush=flush)
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
        # A big spreadsheet's records are staged in chunks outside the store while the file
        # is validated, and copied in by apply_facts in its one transaction.
        spool = await store.open_spool()
        try:
            facts = await load_any(path, store, flush=spool.add)
            report = await store.apply_facts(facts, via="cli", spool=spool)
        finally:
            spool.close()
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
        await store.load_directory()
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


async def _extract(settings: Settings, args: argparse.Namespace) -> int:
    from bot.core.extraction import KnownCompany, KnownZone
    from bot.core.zone_cache import zone_index
    from bot.extract_cli import run
    from storage import Store

    store = await Store.open(settings.database_path)
    try:
        await store.seed()
        # The directory's zones are known zones: a draft refers to 绵阳高新区, not a copy.
        await store.load_directory()
        zones = [
            KnownZone(z.id, tuple(n for n in (z.name_zh, z.short_zh, *z.aliases) if n))
            for z in await store.zones()
        ]
        # Zone names resolve as /zone resolves them (aliases, pinyin, the directory).
        index = await zone_index(store)
        companies = [
            KnownCompany(
                id=cid,
                names=tuple(n for n in (name_zh, short_zh, name_en) if n),
                name_zh=name_zh,
                short_zh=short_zh,
                name_en=name_en,
                kind=kind,
            )
            for cid, name_zh, short_zh, name_en, kind in await store.company_identities()
        ]
        taken = await store.taken_ids("companies")
        labels = {label.label: label.area for label in await store.labels()}
    finally:
        await store.close()
    zone_id = None
    if args.zone:
        match = index.resolve(args.zone.strip())
        wanted = args.zone.strip().casefold()
        found = [z.id for z in zones if wanted in (z.id, *(n.casefold() for n in z.names))]
        if not found and match.kind == "found":
            found = [match.zone_id]
        if len(found) != 1:
            print(f"error: {args.zone!r} is not one zone in the store", file=sys.stderr)
            return 2
        zone_id = found[0]
    # In a worker thread: links are fetched there with their own event loop.
    return await asyncio.to_thread(
        run,
        args.inputs,
        args.out,
        zones,
        labels,
        zone_id,
        allow_private=settings.fetch_allow_private,
        index=index,
        companies=companies,
        taken_company_ids=taken,
    )


if __name__ == "__main__":
    sys.exit(main())
