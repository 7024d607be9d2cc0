"""Where newsbot keeps its files, all under ``NEWSBOT_DATA_DIR``."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path


def data_dir(settings) -> Path:
    return Path(settings.get("NEWSBOT_DATA_DIR", "data"))


def state_path(settings) -> Path:
    return Path(settings.get("NEWSBOT_STATE_PATH") or data_dir(settings) / "state.sqlite3")


def lock_path(settings) -> Path:
    """One run at a time per data dir; with Redis, one per worker id (workers share the state there)."""
    from newsbot.workers import redis_url, worker_id

    if redis_url(settings):
        return data_dir(settings) / f"newsbot-{worker_id(settings)}.lock"
    return data_dir(settings) / "newsbot.lock"


def runs_dir(settings) -> Path:
    return data_dir(settings) / "runs"


def logs_dir(settings) -> Path:
    return data_dir(settings) / "logs"


def write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """``write(temporary)`` beside ``path``, then rename it in place: a reader sees the old
    file or the new one, never half of one. The temporary name is this writer's own (pid and
    a random part), so two processes writing the same file never rename each other's away;
    it is removed whatever happens."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}.part")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
