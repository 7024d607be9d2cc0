"""``scrapy state show`` / ``scrapy state reset --yes``: see or clear the incremental state."""

from __future__ import annotations

import json
import sys

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from newsbot.lock import EXIT_LOCKED, take_run_lock
from newsbot.paths import state_path
from newsbot.state import StateStore
from newsbot.workers import SharedStateError, open_state, redis_url, reset_shared_state


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "show | reset --yes"

    def short_desc(self) -> str:
        return "Show or clear the state of incremental (cron) crawls"

    def long_desc(self) -> str:
        return ("show: print a summary of the state (articles known, revisions, last runs) as JSON. "
                "reset --yes: delete the state, so the next incremental run exports everything again "
                "(run files and manifests are kept). Refused while a run holds the lock.")

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--yes", action="store_true", help="really delete the state (reset)")

    def run(self, args: list[str], opts) -> None:
        if args not in (["show"], ["reset"]):
            raise UsageError("give show or reset")
        if redis_url(self.settings):
            self.run_shared(args, opts)
            return
        path = state_path(self.settings)
        if args == ["show"]:
            if not path.exists():
                print(json.dumps({"path": str(path), "articles": 0, "note": "no state yet"}))
                return
            store = StateStore(path)
            print(json.dumps(store.summary(), indent=2))
            store.close()
            return
        if not opts.yes:
            raise UsageError(f"reset deletes {path}; add --yes to do it")
        lock = take_run_lock(self.settings, "state-reset")
        if lock is None:
            self.exitcode = EXIT_LOCKED
            return
        try:
            for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                candidate.unlink(missing_ok=True)
            print(f"newsbot: state reset ({path} deleted)")
        finally:
            lock.release()

    def run_shared(self, args: list[str], opts) -> None:
        """The same, for the state workers share in Redis (``NEWSBOT_REDIS_URL``)."""
        try:
            if args == ["show"]:
                print(json.dumps(open_state(self.settings).summary(), indent=2))
                return
            if not opts.yes:
                raise UsageError("reset deletes the shared state and queue in Redis; add --yes to do it")
            deleted = reset_shared_state(self.settings)
        except UsageError:
            raise
        except SharedStateError as error:
            print(f"newsbot: {error}", file=sys.stderr)
            self.exitcode = 69
            return
        except Exception as error:  # redis errors: one line, not a traceback
            print(f"newsbot: cannot use Redis: {error}", file=sys.stderr)
            self.exitcode = 69
            return
        print(f"newsbot: shared state reset ({deleted} Redis key(s) deleted)")
