"""``scrapy state show | check | backup <file> | reset --yes``: the incremental state.

* ``show``: a summary (articles, revisions, link graph, hints, frontier) and every run
  recorded, with its verdict, as JSON.
* ``check``: open and check the state (``PRAGMA quick_check``, schema, version), migrating
  an older one; exit 0 when sound, else one line and exit 65.
* ``backup <file>``: a consistent copy (SQLite's online backup, safe while a run goes on).
* ``reset --yes``: start afresh: the articles, link graph, hints and frontier are deleted (run
  files are kept); the run history and, for every article, the highest revision it had are
  kept, so revisions go on from there. Refused while a run holds the lock.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from newsbot.commands._usage import StrictOptions
from newsbot.configuration import CannotWrite
from newsbot.lock import EXIT_LOCKED, take_run_lock
from newsbot.paths import state_path
from newsbot.state import EXIT_BAD_STATE, BadState, open_checked_state
from newsbot.workers import SharedStateError, check_shared_state, open_state, redis_url, reset_shared_state

EXIT_SHARED_STATE = 65  # as for an unusable state file (newsbot.state.EXIT_BAD_STATE)


class Command(StrictOptions, ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "show | check | backup <file> | reset --yes"

    def short_desc(self) -> str:
        return "Show, check, back up or reset the state of incremental (cron) crawls"

    def long_desc(self) -> str:
        return __doc__.split("\n\n", 1)[1]

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--yes", action="store_true", help="really reset the state")

    def run(self, args: list[str], opts) -> None:
        if not args or args[0] not in ("show", "check", "backup", "reset") or \
                len(args) != (2 if args[0] == "backup" else 1):
            raise UsageError("give show, check, backup <file> or reset --yes")
        if redis_url(self.settings):
            self.run_shared(args, opts)
            return
        path = state_path(self.settings)
        if args[0] == "reset":
            self.reset(path, opts.yes)
            return
        if not path.exists() and not path.is_symlink():
            print(json.dumps({"path": str(path), "articles": 0, "runs": [], "note": "no state yet"}))
            return
        try:
            store = open_checked_state(path, create=False)
        except BadState as error:
            print(f"newsbot: {error}", file=sys.stderr)
            self.exitcode = EXIT_BAD_STATE
            return
        try:
            if args[0] == "show":
                print(json.dumps({**store.summary(), "runs": store.runs()}, indent=2, ensure_ascii=False))
            elif args[0] == "check":
                summary = store.summary()
                print(f"newsbot: state ok: {path} (schema version {summary['schema_version']}, "
                      f"{summary['articles']} articles, {len(store.runs())} runs)")
            else:
                target = Path(args[1])
                if target.exists():
                    raise UsageError(f"{target} exists; give a new file")
                store.backup(target)
                open_checked_state(target, create=False).close()
                print(f"newsbot: state backed up to {target}")
        finally:
            store.close()

    def reset(self, path: Path, yes: bool) -> None:
        if not yes:
            raise UsageError(f"reset deletes the state in {path}; add --yes to do it")
        lock = take_run_lock(self.settings, "state-reset")
        if lock is None:
            self.exitcode = EXIT_LOCKED
            return
        try:
            floor, runs = self.kept(path)
            for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                candidate.unlink(missing_ok=True)
            store = open_checked_state(path)
            try:
                store.keep_after_reset(floor, runs)
            finally:
                store.close()
            print(f"newsbot: state reset ({path}: {len(floor)} revision floor entries and {len(runs)} runs kept)")
        finally:
            lock.release()

    @staticmethod
    def kept(path: Path) -> tuple[dict, list]:
        """What a reset keeps: the revision floor and the run history (nothing from a bad file)."""
        if not path.exists():
            return {}, []
        try:
            store = open_checked_state(path, create=False)
        except BadState as error:
            print(f"newsbot: {error}; resetting without a revision floor", file=sys.stderr)
            return {}, []
        try:
            return store.revision_floor_entries(), store.runs()
        finally:
            store.close()

    def run_shared(self, args: list[str], opts) -> None:
        """The same, for the state workers share in Redis (``NEWSBOT_REDIS_URL``)."""
        try:
            if args[0] == "show":
                store = open_state(self.settings)
                print(json.dumps({**store.summary(), "runs": store.runs()}, indent=2, ensure_ascii=False))
            elif args[0] == "check":
                check_shared_state(self.settings)
                summary = open_state(self.settings).summary()
                print(f"newsbot: shared state ok: {summary['path']} ({summary['articles']} articles)")
            elif args[0] == "backup":
                raise UsageError("the shared state is in Redis: back it up with Redis's own means "
                                 "(BGSAVE, then copy its dump.rdb, or copy its AOF directory)")
            else:
                if not opts.yes:
                    raise UsageError("reset deletes the shared state and queue in Redis; add --yes to do it")
                floor, deleted = reset_shared_state(self.settings)
                print(f"newsbot: shared state reset ({deleted} Redis key(s) deleted, "
                      f"{floor} revision floor entries kept)")
        except UsageError:
            raise
        except SharedStateError as error:
            print(f"newsbot: {error}", file=sys.stderr)
            self.exitcode = EXIT_SHARED_STATE
        except CannotWrite as error:
            print(f"newsbot: {error.line}", file=sys.stderr)
            self.exitcode = error.exit_code
        except Exception as error:  # redis errors: one line, not a traceback
            print(f"newsbot: cannot use Redis: {error}", file=sys.stderr)
            self.exitcode = EXIT_SHARED_STATE
