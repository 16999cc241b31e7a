"""Where khaldun finds its data, its cache and the shared gold data, in one place."""

from __future__ import annotations

import os
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

DEFAULT_DB = Path("khaldun.duckdb")
MAX_ARTICLE_CHARS = 1_000_000  # spaCy's own max_length; longer inputs are not one article


def data_path(*parts: str) -> Path:
    """A file shipped in the package's `data/` folder."""
    return Path(str(resources.files("khaldun").joinpath("data", *parts)))


@cache
def load_yaml(*parts: str) -> Any:
    """Parse a packaged YAML knowledge file once per process."""
    with data_path(*parts).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def cache_dir() -> Path:
    """Disk cache for indexes built once (the gazetteer). Override with KHALDUN_CACHE."""
    root = os.environ.get("KHALDUN_CACHE")
    if root:
        path = Path(root)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        path = Path(base) / "khaldun"
    path.mkdir(parents=True, exist_ok=True)
    return path


def shared_dir(explicit: Path | None = None) -> Path | None:
    """The shared folder with gold data: an explicit path, $KHALDUN_SHARED, or ../shared.

    Looks beside the current directory and beside the source checkout, so tests and the CLI
    find it from the repository root as well as from elsewhere.
    """
    candidates: list[Path] = []
    if explicit is not None:
        candidates.append(explicit)
    env = os.environ.get("KHALDUN_SHARED")
    if env:
        candidates.append(Path(env))
    candidates.append(Path.cwd().parent / "shared")
    candidates.append(Path(__file__).resolve().parents[3] / "shared")
    for candidate in candidates:
        if (candidate / "seed").is_dir() or (candidate / "data").is_dir():
            return candidate
    return None
