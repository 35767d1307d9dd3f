"""Shared builders: stories made of a few strings we write ourselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsweave.ingest.text import parse_text
from newsweave.models import Article

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "harbor-strike"


def make_article(text: str, *, source: str | None = None, published: str | None = None,
                 title: str | None = None, path: str | None = None) -> Article:
    """An Article from text, as plain-text ingest would make it."""
    return parse_text(text, source=source, published=published, title=title, path=path)


def make_story(*texts: str, published: str = "2025-03-04") -> list[Article]:
    """One article per text, outlets "Outlet A", "Outlet B", ..."""
    return [
        make_article(t, source=f"Outlet {chr(65 + i)}", published=published, path=f"story/{i}.txt")
        for i, t in enumerate(texts)
    ]


@pytest.fixture(autouse=True)
def _isolated_db(tmp_path, monkeypatch):
    """Never touch the user's real database or config in tests."""
    monkeypatch.setenv("NEWSWEAVE_DB", str(tmp_path / "default.db"))
    monkeypatch.setenv("NEWSWEAVE_CONFIG", str(tmp_path / "no-config.toml"))


# ---------------------------------------------------------------- PostgreSQL
# A real, throwaway server (tests/pgserver.py): started once per session on a
# free loopback port, one fresh database per test, stopped at the end.


@pytest.fixture(scope="session")
def pg_server():  # type: ignore[no-untyped-def]
    from tests.pgserver import PgServer, server_bindir

    if server_bindir() is None:
        pytest.skip("no PostgreSQL server binaries; ./scripts/test installs them (apt-get install postgresql)")
    server = PgServer().start()
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server) -> str:  # type: ignore[no-untyped-def]
    """The URL of a new, empty database on the session's server."""
    import uuid

    name = "t_" + uuid.uuid4().hex[:12]
    url = pg_server.create_database(name)
    yield url
    pg_server.drop_database(name)


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Each store kind in turn (tests/store_backends.py): the store suites run on both."""
    from tests.store_backends import PostgresBackend, SqliteBackend

    if request.param == "postgres":
        return PostgresBackend(request.getfixturevalue("pg_url"))
    return SqliteBackend()


@pytest.fixture
def store(backend):  # type: ignore[no-untyped-def]
    """A new, empty store of the ``backend``'s kind."""
    s = backend.open()
    yield s
    s.close()
