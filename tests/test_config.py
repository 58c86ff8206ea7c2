"""Settings precedence: command-line flag > environment > config file > default."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from refman.config import SPECS, default_config_path, resolve_settings
from refman.errors import ConfigError
from tests.conftest import Cli


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        'library = "from-config.bib"\nmailto = "config@example.org"\noffline = true\n'
        "min_confidence = 0.8\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("flags", "env", "expected", "source"),
    [
        pytest.param({}, {}, "from-config.bib", "config file", id="config-over-default"),
        pytest.param(
            {}, {"REFMAN_LIBRARY": "env.bib"}, "env.bib", "environment", id="env-over-config"
        ),
        pytest.param(
            {"library": "flag.bib"},
            {"REFMAN_LIBRARY": "env.bib"},
            "flag.bib",
            "command line",
            id="flag-over-env",
        ),
        pytest.param(
            {"library": None}, {"REFMAN_LIBRARY": ""}, "from-config.bib", "config", id="empty-env"
        ),
    ],
)
def test_precedence(
    config_file: Path, flags: dict[str, str], env: dict[str, str], expected: str, source: str
) -> None:
    settings = resolve_settings(flags, environ=env, config_path=config_file)
    assert settings.library == expected
    assert settings.sources["library"].startswith(source)


def test_defaults_without_config(tmp_path: Path) -> None:
    settings = resolve_settings({}, environ={}, config_path=tmp_path / "absent.toml")
    assert settings.library == "library.bib"
    assert settings.crossref_url == "https://api.crossref.org"
    assert settings.offline is False
    assert settings.cache_dir  # the platform's user cache dir
    assert all(source == "default" for source in settings.sources.values())


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        pytest.param({"REFMAN_OFFLINE": "1"}, True, id="one"),
        pytest.param({"REFMAN_OFFLINE": "yes"}, True, id="yes"),
        pytest.param({"REFMAN_OFFLINE": "false"}, False, id="false"),
        pytest.param({"REFMAN_OFFLINE": "off"}, False, id="off"),
    ],
)
def test_boolean_environment(tmp_path: Path, env: dict[str, str], expected: bool) -> None:
    settings = resolve_settings({}, environ=env, config_path=tmp_path / "absent.toml")
    assert settings.offline is expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("library = [", "not valid TOML", id="bad-toml"),
        pytest.param("colour = 'red'", "unknown setting 'colour'", id="unknown-key"),
        pytest.param("min_confidence = 'high'", "min_confidence must be a float", id="bad-type"),
        pytest.param("offline = 'maybe'", "offline must be a bool", id="bad-bool"),
        pytest.param(
            "crossref_url = 'api.crossref.org'",
            "crossref_url must be an http.s. URL such as https://api.crossref.org",
            id="url-without-scheme",
        ),
        pytest.param(
            "doi_url = 'http://'", "doi_url must be an http.s. URL", id="url-without-host"
        ),
        pytest.param("arxiv_url = 'ftp://x.org'", "arxiv_url must be an http.s. URL", id="ftp-url"),
    ],
)
def test_bad_config_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        resolve_settings({}, environ={}, config_path=path)


def test_config_path_from_environment(tmp_path: Path) -> None:
    assert default_config_path({"REFMAN_CONFIG": str(tmp_path / "x.toml")}) == tmp_path / "x.toml"
    assert default_config_path({}).name == "config.toml"


def test_every_setting_has_help() -> None:
    assert all(spec.metadata["help"] for spec in SPECS)


def test_config_show_reports_sources(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('style = "ieee"\n', encoding="utf-8")
    result = cli("--mailto", "me@example.org", "config", "show", "--json")
    assert result.exit_code == 0, result.stderr
    settings = json.loads(result.stdout)["settings"]
    assert settings["mailto"] == {"value": "me@example.org", "source": "command line"}
    assert settings["style"]["value"] == "ieee"
    assert settings["style"]["source"].startswith("config file")
    assert settings["library"]["source"] == "environment (REFMAN_LIBRARY)"
    assert result.stderr == ""


def test_config_show_table(cli: Cli) -> None:
    result = cli("config", "show")
    assert result.exit_code == 0
    assert "crossref_url" in result.stdout
    assert '"http://127.0.0.1:9"  (environment (REFMAN_CROSSREF_URL))' in result.stdout


def test_broken_config_is_a_one_line_error(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("library = [", encoding="utf-8")
    result = cli("config", "show")
    assert result.exit_code == 7
    assert result.stdout == ""
    assert result.stderr.startswith("Error: config file")
    assert result.stderr.count("\n") == 1


def test_a_local_http_url_is_a_valid_base_url(tmp_path: Path) -> None:
    flags = {"crossref_url": "http://127.0.0.1:8080/v1"}
    settings = resolve_settings(flags, environ={}, config_path=tmp_path / "absent.toml")
    assert settings.crossref_url == "http://127.0.0.1:8080/v1"


def test_a_bad_url_flag_is_an_error_before_any_lookup(cli: Cli) -> None:
    result = cli("--crossref-url", "notaurl", "resolve", "Smith J. Sleep. Nature 2001;1:2-3.")
    assert result.exit_code == 7
    assert result.stdout == ""
    assert result.stderr.startswith("Error: command line: crossref_url must be an http(s) URL")
