"""The SQLite lookup cache: hits, expiry, refresh, sharing between handles."""

from __future__ import annotations

from pathlib import Path

import pytest

from refman.errors import ConfigError
from refman.sources.cache import Cache


def test_stored_answer_comes_back(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.put("k", 200, b'{"a": 1}')
    assert cache.get("k") == (200, b'{"a": 1}')
    assert cache.get("other") is None
    cache.close()


def test_not_found_answers_are_cached_too(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.put("gone", 404, b"")
    assert cache.get("gone") == (404, b"")
    cache.close()


@pytest.mark.parametrize(
    ("max_age_days", "refresh", "hit"),
    [
        pytest.param(30, False, True, id="fresh"),
        pytest.param(-1, False, False, id="expired"),
        pytest.param(30, True, False, id="refresh-ignores-the-cache"),
    ],
)
def test_expiry_and_refresh(tmp_path: Path, max_age_days: float, refresh: bool, hit: bool) -> None:
    Cache(tmp_path).put("k", 200, b"x")
    cache = Cache(tmp_path, max_age_days, refresh=refresh)
    assert (cache.get("k") is not None) is hit
    cache.close()


def test_two_handles_share_one_file(tmp_path: Path) -> None:
    """Two processes open the same cache file (WAL): each sees the other's writes."""
    first, second = Cache(tmp_path), Cache(tmp_path)
    first.put("a", 200, b"1")
    second.put("b", 200, b"2")
    assert second.get("a") == (200, b"1")
    assert first.get("b") == (200, b"2")
    first.close()
    second.close()


def test_unusable_directory_is_a_config_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(ConfigError, match="--cache-dir"):
        Cache(blocker / "cache")
