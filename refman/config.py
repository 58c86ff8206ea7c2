"""Effective settings: command-line flag > environment > config file > default.

The config file is TOML, at ``platformdirs.user_config_dir("refman")/config.toml``
unless ``REFMAN_CONFIG`` names another path. It holds the same settings as the
global options, by the same names (``library``, ``mailto``, ``crossref_url``,
``cache_dir``, ``offline``, ...). Every setting remembers where its value came
from, so ``refman config show`` can tell the user why refman behaves as it does.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

from refman.errors import ConfigError

APP_NAME = "refman"
CONFIG_ENV = "REFMAN_CONFIG"


def _setting(default: Any, env: str | None, help_text: str) -> Any:
    """A settings field with its environment variable and a one-line meaning."""
    return field(default=default, metadata={"env": env, "help": help_text})


@dataclass(frozen=True)
class Settings:
    """The effective settings; ``sources`` says where each value came from."""

    library: str = _setting("library.bib", "REFMAN_LIBRARY", "the BibTeX library file")
    mailto: str = _setting("", "REFMAN_MAILTO", "contact address for Crossref's polite pool")
    crossref_url: str = _setting(
        "https://api.crossref.org", "REFMAN_CROSSREF_URL", "Crossref REST API base URL"
    )
    cache_dir: str = _setting("", "REFMAN_CACHE_DIR", "where lookups are cached")
    offline: bool = _setting(False, "REFMAN_OFFLINE", "use only the cache, never the network")
    min_confidence: float = _setting(0.9, "REFMAN_MIN_CONFIDENCE", "accept matches at or above")
    jobs: int = _setting(0, "REFMAN_JOBS", "concurrent lookups (0: the pool's limit)")
    rate_limit: float = _setting(0.0, "REFMAN_RATE_LIMIT", "requests/s (0: the pool's limit)")
    cache_days: int = _setting(30, "REFMAN_CACHE_DAYS", "days before a cached lookup expires")
    timeout: float = _setting(10.0, "REFMAN_TIMEOUT", "seconds to wait for one answer")
    style: str = _setting("apa", "REFMAN_STYLE", "default citation style")
    locale: str = _setting("en-US", "REFMAN_LOCALE", "default locale of styled output")
    key_pattern: str = _setting("{auth}{year}{shorttitle}", None, "citation key pattern")
    ascii: bool = _setting(False, "REFMAN_ASCII", "write LaTeX accents instead of Unicode")
    doi_url: str = _setting("https://doi.org", "REFMAN_DOI_URL", "doi.org base URL")
    arxiv_url: str = _setting(
        "https://export.arxiv.org/api", "REFMAN_ARXIV_URL", "arXiv API base URL"
    )
    ncbi_url: str = _setting(
        "https://www.ncbi.nlm.nih.gov/pmc/utils/idconv/v1.0",
        "REFMAN_NCBI_URL",
        "NCBI PMID/PMCID converter URL",
    )
    openlibrary_url: str = _setting(
        "https://openlibrary.org", "REFMAN_OPENLIBRARY_URL", "Open Library base URL (ISBNs)"
    )
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)
    config_path: Path | None = field(default=None, compare=False)

    @property
    def cache_path(self) -> Path:
        """The cache directory, defaulting to the user's cache dir."""
        return Path(self.cache_dir or platformdirs.user_cache_dir(APP_NAME))

    @property
    def library_path(self) -> Path:
        """The library file."""
        return Path(self.library)

    def as_dict(self) -> dict[str, Any]:
        """Every setting by name, for ``config show`` and JSON output."""
        return {spec.name: getattr(self, spec.name) for spec in SPECS}


SPECS: tuple[dataclasses.Field[Any], ...] = tuple(
    f for f in dataclasses.fields(Settings) if "env" in f.metadata
)
SPEC_BY_NAME = {spec.name: spec for spec in SPECS}


def default_config_path(environ: Mapping[str, str] | None = None) -> Path:
    """``REFMAN_CONFIG`` or the platform's user config dir."""
    env = os.environ if environ is None else environ
    if env.get(CONFIG_ENV):
        return Path(env[CONFIG_ENV])
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def _kind(spec: dataclasses.Field[Any]) -> type:
    return type(spec.default)


def coerce(spec: dataclasses.Field[Any], raw: Any, origin: str) -> Any:
    """Turn a raw value (env string, TOML value, flag) into the setting's type."""
    kind = _kind(spec)
    try:
        if kind is bool:
            return _to_bool(raw)
        if isinstance(raw, bool):
            raise ValueError(raw)
        value = kind(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(
            f"{origin}: {spec.name} must be a {kind.__name__}, got {raw!r}; fix or remove it"
        ) from exc
    if spec.name.endswith("_url") and not _is_web_url(value):
        raise ConfigError(
            f"{origin}: {spec.name} must be an http(s) URL such as {spec.default}, "
            f"got {raw!r}; fix or remove it"
        )
    return value


def _is_web_url(text: str) -> bool:
    """An ``http://`` or ``https://`` URL with a host: a base URL refman can send requests to
    (caught here, a typo fails at once instead of after every lookup's retries)."""
    parts = urlsplit(text)
    return parts.scheme in {"http", "https"} and bool(parts.hostname)


def _to_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(raw)


def read_config_file(path: Path) -> dict[str, Any]:
    """The settings in the TOML config file, or nothing when it does not exist."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}; fix it") from exc
    unknown = sorted(set(data) - set(SPEC_BY_NAME))
    if unknown:
        known = ", ".join(SPEC_BY_NAME)
        raise ConfigError(f"config file {path}: unknown setting {unknown[0]!r}; known: {known}")
    return data


def resolve_settings(
    flags: Mapping[str, Any],
    environ: Mapping[str, str] | None = None,
    config_path: Path | None = None,
) -> Settings:
    """Merge flag > env > config file > default into one ``Settings``.

    ``flags`` maps setting names to what the user gave on the command line;
    None means the flag was not given.
    """
    env = os.environ if environ is None else environ
    path = config_path or default_config_path(env)
    file_values = read_config_file(path)
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for spec in SPECS:
        env_name = spec.metadata["env"]
        if flags.get(spec.name) is not None:
            values[spec.name] = coerce(spec, flags[spec.name], "command line")
            sources[spec.name] = "command line"
        elif env_name and env.get(env_name, "") != "":
            values[spec.name] = coerce(spec, env[env_name], f"environment {env_name}")
            sources[spec.name] = f"environment ({env_name})"
        elif spec.name in file_values:
            values[spec.name] = coerce(spec, file_values[spec.name], f"config file {path}")
            sources[spec.name] = f"config file ({path})"
        else:
            values[spec.name] = spec.default
            sources[spec.name] = "default"
    if not values["cache_dir"]:
        values["cache_dir"] = platformdirs.user_cache_dir(APP_NAME)
    return Settings(**values, sources=sources, config_path=path)
