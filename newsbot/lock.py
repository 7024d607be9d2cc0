"""One scheduled run at a time: an exclusive ``flock`` on ``<data dir>/newsbot.lock``.

The kernel releases the lock when its process dies, even by SIGKILL, so a lock file left
behind by a killed run never blocks the next one. The file holds the holder's pid and
start time, for the message the second run prints.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

from newsbot.paths import lock_path


class Locked(Exception):
    """Another run holds the lock."""

    def __init__(self, path: Path, holder: dict):
        self.path = path
        self.holder = holder
        super().__init__(f"another newsbot run is going (pid {holder.get('pid', '?')}, "
                         f"started {holder.get('started', '?')}; lock {path})")


class RunLock:
    def __init__(self, path: Path):
        self.path = path
        self.file = None

    def acquire(self, run_id: str) -> None:
        """Take the lock or raise ``Locked`` without changing anything."""
        if self.path.exists():
            probe = self.path.open("r")
            try:
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_holder(probe)
                probe.close()
                raise Locked(self.path, holder) from None
            fcntl.flock(probe, fcntl.LOCK_UN)
            probe.close()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.file = self.path.open("a+")
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # another run took it between the probe and now
            holder = _read_holder(self.file)
            self.file.close()
            self.file = None
            raise Locked(self.path, holder) from None
        self.file.seek(0)
        self.file.truncate()
        self.file.write(json.dumps({"pid": os.getpid(), "run_id": run_id,
                                    "started": datetime.now(timezone.utc).isoformat(timespec="seconds")}))
        self.file.flush()

    def release(self) -> None:
        if self.file is not None:
            fcntl.flock(self.file, fcntl.LOCK_UN)
            self.file.close()
            self.file = None


EXIT_LOCKED = 75  # EX_TEMPFAIL: another run is going, try again later


def take_run_lock(settings, run_id: str) -> RunLock | None:
    """The run lock of ``settings``' data dir, or None after printing the one-line reason."""
    lock = RunLock(lock_path(settings))
    try:
        lock.acquire(run_id)
    except Locked as locked:
        print(f"newsbot: {locked}", file=sys.stderr)
        return None
    return lock


def _read_holder(file) -> dict:
    file.seek(0)
    try:
        return json.loads(file.read() or "{}")
    except ValueError:
        return {}
