"""Installed use: a wheel built from this tree, installed into a fresh virtualenv, run from a
directory outside the clone (no scrapy.cfg anywhere above it).

The wheel is built offline (no build isolation, ``--no-deps``); the virtualenv sees this
environment's packages through a ``.pth`` file (what ``--system-site-packages`` would give
when the tests run outside a virtualenv), so nothing is downloaded.
"""

from __future__ import annotations

import configparser
import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from newsbot.cli import PROFILES
from tests.conftest import REPO, SITE_DIR

pytestmark = pytest.mark.e2e

SOURCES = ("pyproject.toml", "README.md", "newsbot")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin/ folder of a virtualenv with the newsbot wheel installed."""
    base = tmp_path_factory.mktemp("installed")
    tree = base / "src"
    tree.mkdir()
    for name in SOURCES:  # build from a copy: the build leaves nothing in the clone
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, tree / name)
    dist = base / "dist"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", "-q"]
    subprocess.run([*pip, "wheel", str(tree), "-w", str(dist), "--no-deps", "--no-build-isolation",
                    "--no-index"], check=True, capture_output=True, timeout=300)
    wheel = next(dist.glob("newsbot-*.whl"))
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    purelib = Path(subprocess.run([venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  check=True, capture_output=True, text=True).stdout.strip())
    ours = dict.fromkeys([sysconfig.get_paths()["purelib"], *site.getsitepackages()])
    (purelib / "zz-host-packages.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")
    subprocess.run([venv / "bin" / "python", "-m", "pip", "--disable-pip-version-check", "-q", "install",
                    "--no-deps", "--no-index", "--ignore-installed", str(wheel)],
                   check=True, capture_output=True, timeout=300)
    return venv / "bin"


def run(bin_dir: Path, cwd: Path, *args: str, env: dict | None = None, program: tuple = ("newsbot",)):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SCRAPY_", "NEWSBOT_", "PYTHON"))}
    return subprocess.run([str(bin_dir / program[0]), *program[1:], *args], cwd=cwd, env={**clean, **(env or {})},
                          capture_output=True, text=True, timeout=600)


@pytest.fixture
def outside(tmp_path) -> Path:
    work = tmp_path / "elsewhere"
    work.mkdir()
    return work


CRAWL = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False")


def test_the_wheel_is_what_runs(installed, outside):
    done = subprocess.run([str(installed / "python"), "-c", "import newsbot; print(newsbot.__file__)"],
                          cwd=outside, capture_output=True, text=True, check=True)
    assert Path(done.stdout.strip()).is_relative_to(installed.parent)
    assert run(installed, outside, "list").stdout.split() == ["trtworld"]


def test_crawl_cron_state_dataset_extract_reextract_from_outside(installed, outside, site):
    data = outside / "data"
    settings = ("-s", f"NEWSBOT_SITE_URL={site.url}", "-s", f"NEWSBOT_DATA_DIR={data}", *CRAWL)
    crawl = run(installed, outside, "crawl", "trtworld", "-O", "x.jsonl", "-a", "max_articles=3", *settings)
    assert crawl.returncode == 0, crawl.stderr[-2000:]
    assert len((outside / "x.jsonl").read_text(encoding="utf-8").splitlines()) == 3

    cron = run(installed, outside, "--profile", "cron", "crawl", "trtworld", *settings,
               "-s", "NEWSBOT_WARC_ENABLED=True")
    assert cron.returncode == 0, cron.stderr[-2000:]
    assert list(data.glob("runs/*/*/*/*.manifest.json"))

    state = run(installed, outside, "state", "show", *settings, env={"SCRAPY_PROJECT": "cron"})
    assert state.returncode == 0, state.stderr
    assert json.loads(state.stdout)["articles"] > 10

    dataset = run(installed, outside, "dataset", "-o", "all.parquet", *settings)
    assert dataset.returncode == 0, dataset.stderr
    assert (outside / "all.parquet").stat().st_size > 0

    page = SITE_DIR / "pages" / "article" / "13099992.html"
    extract = run(installed, outside, "extract", str(page), "--url", "https://www.trtworld.com/article/13099992")
    assert extract.returncode == 0, extract.stderr
    assert json.loads(extract.stdout)["article_id"] == "13099992"

    warc = next(data.glob("warc/*.warc.gz"))
    again = run(installed, outside, "reextract", str(warc), *settings)
    assert again.returncode == 0, again.stderr
    assert "exported" in again.stdout

    # The one documented setting does the same with plain `scrapy`.
    plain = run(installed, outside, "list", program=("python", "-m", "scrapy"),
                env={"SCRAPY_SETTINGS_MODULE": "newsbot.settings.cron"})
    assert plain.stdout.split() == ["trtworld"]


@pytest.mark.parametrize("how", [("--profile", "prod"), ("--profile=prod",)])
def test_unknown_profile_is_one_line(installed, outside, how):
    done = run(installed, outside, *how, "crawl", "trtworld")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "newsbot: unknown profile 'prod' (--profile or SCRAPY_PROJECT): use one of default, dev, cron"]


def test_unknown_scrapy_project_is_one_line(installed, outside):
    done = run(installed, outside, "crawl", "trtworld", env={"SCRAPY_PROJECT": "prod"})
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "unknown profile 'prod'" in done.stderr


def test_unknown_option_is_one_line(installed, outside):
    done = run(installed, outside, "crawl", "trtworld", "--badopt")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == ["newsbot: unknown option --badopt (see --help)"]


def test_profiles_match_scrapy_cfg():
    config = configparser.ConfigParser()
    config.read(REPO / "scrapy.cfg")
    assert dict(config["settings"]) == PROFILES
