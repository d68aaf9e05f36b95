"""Settings.from_env: every field is read from its MCFKG_* variable as its own type."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from mcfkg.config import Settings, SettingsError


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No MCFKG_* variable of the developer's shell leaks into these tests."""
    for f in fields(Settings):
        monkeypatch.delenv(f"MCFKG_{f.name.upper()}", raising=False)


def test_without_variables_the_defaults_are_secure() -> None:
    settings = Settings.from_env()
    assert settings == Settings()
    assert settings.update_token is None and settings.service_allowlist == () and settings.store_path is None


def test_every_field_parses_from_its_variable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    given = {
        "BASE_IRI": ("https://example.org/kg/", "https://example.org/kg/"),
        "STORE_URL": ("sparql+http://127.0.0.1:9/query", "sparql+http://127.0.0.1:9/query"),
        "STORE_USER": ("mcfkg", "mcfkg"), "STORE_PASSWORD": ("pw", "pw"), "STORE_AUTH": ("digest", "digest"),
        "STORE_POOL_SIZE": ("4", 4), "STORE_MAX_RESPONSE_BYTES": ("1000", 1000),
        "STORE_TIMEOUT_PARAMETER": ("timeout", "timeout"), "STORE_SYNC_TIMEOUT_S": ("60", 60.0),
        "STORE_MAX_UPDATE_BYTES": ("5000", 5000), "STORE_CLIENT_UPDATES": ("true", True),
        "STORE_LISTS_GRAPHS": ("false", False), "STORE_HIDDEN_GRAPHS": ("urn:a,urn:b", ("urn:a", "urn:b")),
        "GEONAMES_SERVICE": ("https://geonames.example/", "https://geonames.example/"),
        "GEONAMES_USERNAME": ("analyst", "analyst"), "INCREMENTAL_FROM_QUADS": ("5000", 5000),
        "ONTOLOGY_DIR": (str(tmp_path / "o"), tmp_path / "o"),
        "DATA_DIR": (str(tmp_path / "d"), tmp_path / "d"),
        "QUERIES_DIR": (str(tmp_path / "q"), tmp_path / "q"),
        "DIST_DIR": (str(tmp_path / "dist"), tmp_path / "dist"),
        "STORE_PATH": (str(tmp_path / "store"), tmp_path / "store"),
        "QUERY_TIMEOUT_S": ("2.5", 2.5),
        "MAX_RESULT_ROWS": ("1_000", 1000),
        "MAX_REQUEST_BYTES": ("2048", 2048),
        "MAX_UPLOAD_BYTES": ("4096", 4096),
        "REQUEST_HEADER_TIMEOUT_S": ("3", 3.0),
        "REQUEST_BODY_TIMEOUT_S": ("4.5", 4.5),
        "KEEP_ALIVE_TIMEOUT_S": ("7", 7),
        "QUERY_WORKERS": ("3", 3),
        "MAX_QUERY_WORKERS": ("6", 6),
        "MAX_LONG_QUERIES": ("4", 4),
        "LONG_QUERY_S": ("1.5", 1.5),
        "PROCESS_MEMORY_MB": ("512", 512),
        "WORKER_RECYCLE_MB": ("128", 128),
        "UPDATE_TOKEN": ("s3cret", "s3cret"),
        "SERVICE_ALLOWLIST": (" https://a.example/sparql, https://b.example/sparql ,", ("https://a.example/sparql", "https://b.example/sparql")),
        "LINK_ENDPOINT": ("http://127.0.0.1:9/sparql", "http://127.0.0.1:9/sparql"),
        "LINK_TIMEOUT_S": ("5", 5.0),
        "PAGE_MAX_FACTS": ("10", 10),
        "HTML_MAX_ROWS": ("50", 50),
        "UNION_DEFAULT_GRAPH": ("false", False),
        "BUILD_POLL_S": ("0.5", 0.5),
        "SOURCE_CHANGE_TIMEOUT_S": ("60", 60.0),
        "SOURCE_CHANGE_MEMORY_MB": ("2048", 2048),
        "REVIEW_DIR": (str(tmp_path / "reviews"), tmp_path / "reviews"),
    }
    assert {f"{f.name.upper()}" for f in fields(Settings)} == set(given), "a new setting needs a line here"
    for name, (raw, _) in given.items():
        monkeypatch.setenv(f"MCFKG_{name}", raw)
    settings = Settings.from_env()
    for name, (_, expected) in given.items():
        value = getattr(settings, name.lower())
        assert value == expected and type(value) is type(expected), name


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("YES", True), ("on", True), ("0", False), ("No", False)])
def test_booleans_accept_the_usual_spellings(monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool) -> None:
    monkeypatch.setenv("MCFKG_UNION_DEFAULT_GRAPH", raw)
    assert Settings.from_env().union_default_graph is expected


def test_empty_variables_count_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("UPDATE_TOKEN", "STORE_PATH", "QUERY_TIMEOUT_S", "UNION_DEFAULT_GRAPH"):
        monkeypatch.setenv(f"MCFKG_{name}", "  ")
    assert Settings.from_env() == Settings()  # in particular an empty token does not enable writes


def test_explicit_overrides_beat_variables_and_none_means_not_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MCFKG_QUERY_WORKERS", "4")
    monkeypatch.setenv("MCFKG_QUERY_TIMEOUT_S", "9")
    settings = Settings.from_env(query_workers=1, query_timeout_s=None)
    assert settings.query_workers == 1 and settings.query_timeout_s == 9.0


@pytest.mark.parametrize(
    ("name", "raw", "says"),
    [
        ("QUERY_WORKERS", "two", "whole number"),
        ("MAX_RESULT_ROWS", "1.5", "whole number"),
        ("QUERY_TIMEOUT_S", "soon", "number"),
        ("UNION_DEFAULT_GRAPH", "maybe", "true or false"),
    ],
)
def test_a_wrong_value_names_the_variable_and_what_it_takes(
    monkeypatch: pytest.MonkeyPatch, name: str, raw: str, says: str
) -> None:
    monkeypatch.setenv(f"MCFKG_{name}", raw)
    with pytest.raises(SettingsError, match=f"MCFKG_{name}='{raw}'.*{says}"):
        Settings.from_env()
