"""Shared fixtures: one pipeline per session, the shared gold folder, temp stores."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from khaldun.config import shared_dir
from khaldun.pipeline import Pipeline

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline()


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared (or $KHALDUN_SHARED). Absent: skip with the reason — but never in CI."""
    root = shared_dir()
    if root is None or not (root / "seed" / "idlib.txt").exists():
        reason = "gold data not found: set KHALDUN_SHARED or put the shared folder at ../shared"
        if os.environ.get("CI"):
            pytest.fail(f"in CI the shared folder must be present: {reason}")
        pytest.skip(reason)
    return root


@pytest.fixture()
def db_path(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "test.duckdb"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Keep each phase's report on the test item, so fixtures can screenshot failed tests."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"rep_{report.when}", report)
