"""The PostgreSQL store's own failure modes, on a real server (the shared
behaviour is in test_store.py, run against both stores): migrations, a wrong
URL, a refused connection, a missing database or user, missing permissions,
a server that goes away in the middle of ``add`` and the resumed run."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsweave.cli import main
from newsweave.errors import StoreError
from newsweave.models import Article
from newsweave.store import open_store
from newsweave.store.pg_migrations import LATEST, SCHEMA
from tests.pgserver import PgServer, free_port

psycopg = pytest.importorskip("psycopg")


def reports(n: int, tag: str = "") -> list[Article]:
    """Fictional harbour reports, each one different."""
    return [
        Article(f"Report {tag}{i}: the dockers of Velmora met the port board again. Talks ran late.",
                title=f"Velmora report {tag}{i}", source="Harbor Wire", published="2031-04-08")
        for i in range(n)
    ]  # fmt: skip


def sql(url: str, statement: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(statement)
        return cur.fetchall() if cur.description else []


# ---------------------------------------------------------------- schema


def test_schema_is_created_once_and_recorded(pg_url: str) -> None:
    with open_store(pg_url) as s:
        s.add(reports(2))
    assert sql(pg_url, f"SELECT version FROM {SCHEMA}.migrations") == [(v,) for v in range(1, LATEST + 1)]
    indexes = {r[0] for r in sql(pg_url, f"SELECT indexname FROM pg_indexes WHERE schemaname = '{SCHEMA}'")}
    assert "articles_tsv" in indexes
    with open_store(pg_url) as s:  # reopening migrates nothing and keeps the data
        assert s.count() == 2
    assert sql(pg_url, f"SELECT count(*) FROM {SCHEMA}.migrations") == [(LATEST,)]


def test_two_processes_creating_the_schema_at_once(pg_url: str) -> None:
    errors: list[BaseException] = []

    def opener() -> None:
        try:
            open_store(pg_url).close()
        except BaseException as exc:  # noqa: BLE001 - the test reports it
            errors.append(exc)

    threads = [threading.Thread(target=opener) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sql(pg_url, f"SELECT count(*) FROM {SCHEMA}.migrations") == [(LATEST,)]


def test_newer_schema_is_refused(pg_url: str) -> None:
    open_store(pg_url).close()
    sql(pg_url, f"INSERT INTO {SCHEMA}.migrations (version, name) VALUES ({LATEST + 1}, 'from the future')")
    with pytest.raises(StoreError, match="newer newsweave"):
        open_store(pg_url)


def test_someone_elses_schema_is_refused_and_left_alone(pg_url: str) -> None:
    sql(pg_url, f"CREATE SCHEMA {SCHEMA}; CREATE TABLE {SCHEMA}.invoices (n int)")
    with pytest.raises(StoreError, match="did not create.*invoices"):
        open_store(pg_url)
    tables = sql(pg_url, f"SELECT table_name FROM information_schema.tables WHERE table_schema = '{SCHEMA}'")
    assert tables == [("invoices",)]


def test_other_tables_in_the_database_do_not_matter(pg_url: str) -> None:
    sql(pg_url, "CREATE TABLE public.articles (n int)")  # another application's
    with open_store(pg_url) as s:
        assert s.add(reports(1)).added == 1
    assert sql(pg_url, "SELECT count(*) FROM public.articles") == [(0,)]


def test_url_from_the_environment(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSWEAVE_DB", pg_url)
    with open_store() as s:
        assert s.path == pg_url


# ------------------------------------------------------- connecting fails


def test_malformed_url(pg_server: PgServer) -> None:
    with pytest.raises(StoreError, match="not a valid PostgreSQL URL.*postgresql://USER"):
        open_store(f"postgresql://postgres:hunter2@127.0.0.1:{pg_server.port}/db?bogus_option=1")


def test_refused_connection_names_the_fix() -> None:
    url = f"postgresql://ana:hunter2@127.0.0.1:{free_port()}/news"
    with pytest.raises(StoreError) as err:
        open_store(url)
    msg = str(err.value)
    assert "connection refused" in msg and "start the server" in msg
    assert "hunter2" not in msg and "postgresql://ana:***@127.0.0.1" in msg


def test_missing_database(pg_server: PgServer) -> None:
    with pytest.raises(StoreError, match="'nosuchdb' does not exist.*createdb"):
        open_store(pg_server.url("nosuchdb"))


def test_missing_user(pg_server: PgServer) -> None:
    with pytest.raises(StoreError, match="no user 'ghost'.*createuser"):
        open_store(pg_server.url("postgres", "ghost"))


def test_role_without_create_rights_is_told_the_grant(pg_server: PgServer, pg_url: str) -> None:
    pg_server.sql("DROP ROLE IF EXISTS visitor; CREATE ROLE visitor LOGIN")
    db = pg_url.rsplit("/", 1)[1]
    with pytest.raises(StoreError, match="'visitor' lacks a permission.*GRANT CREATE ON DATABASE"):
        open_store(pg_server.url(db, "visitor"))


def test_read_only_role_can_search_but_not_add(pg_server: PgServer, pg_url: str) -> None:
    with open_store(pg_url) as s:
        s.add(reports(3))
    pg_server.sql("DROP ROLE IF EXISTS reader; CREATE ROLE reader LOGIN")
    sql(pg_url, f"GRANT USAGE ON SCHEMA {SCHEMA} TO reader; GRANT SELECT ON ALL TABLES IN SCHEMA {SCHEMA} TO reader")
    db = pg_url.rsplit("/", 1)[1]
    with open_store(pg_server.url(db, "reader")) as ro:
        assert len(ro.search("dockers")) == 3
        with pytest.raises(StoreError, match="'reader' lacks a permission needed for adding articles.*GRANT"):
            ro.add(reports(1, "new"))
        assert ro.count() == 3


# ------------------------------------------------- the server goes away


def test_server_gone_mid_add_then_resume() -> None:
    with PgServer(durable=True) as server:
        server.create_database("news")
        url = f"postgresql://postgres:hunter2@127.0.0.1:{server.port}/news"  # trust auth ignores it
        arts = reports(40)
        with open_store(url, timeout=2) as s:
            batches: list[int] = []

            def kill_after_first(result: object) -> None:
                batches.append(1)
                if len(batches) == 1:
                    server.kill()

            with pytest.raises(StoreError) as err:
                s.add(arts, batch_size=10, split=False, progress=kill_after_first)
            msg = str(err.value)
            assert "postgresql://postgres:***@127.0.0.1" in msg and "hunter2" not in msg
            assert "run the same command again" in msg
        server.restart()
        with open_store(url) as again:  # the same command, run again
            result = again.add(arts, batch_size=10)
            assert (result.added, result.skipped_existing) == (30, 10)
            assert again.count() == 40
            assert len({a.hash for a in again.articles()}) == 40


# ---------------------------------------------------------------- CLI


def test_cli_add_search_on_postgres(pg_url: str, tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"r{i}", "text": a.text, "title": a.title}) + "\n"
                           for i, a in enumerate(reports(5))))  # fmt: skip
    runner = CliRunner()
    r = runner.invoke(main, ["add", str(src), "--db", pg_url, "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["added"] == 5
    r = runner.invoke(main, ["search", "cease-fire OR dockers", "--db", pg_url, "--json"])
    assert r.exit_code == 0 and len(json.loads(r.stdout)) == 5


@pytest.mark.parametrize("url, expected", [
    ("postgresql://ana:hunter2@127.0.0.1:{free}/news", "connection refused"),
    ("postgresql://ana:hunter2@127.0.0.1:{free}/news?nonsense=1", "not a valid PostgreSQL URL"),
])  # fmt: skip
def test_cli_connection_errors_have_no_traceback(url: str, expected: str, tmp_path: Path) -> None:
    url = url.format(free=free_port())
    (tmp_path / "a.txt").write_text("The ferry to Orlin Island ran again on Friday.\n")
    for args in (["add", str(tmp_path / "a.txt")], ["search", "ferry"]):
        r = CliRunner().invoke(main, [*args, "--db", url])
        assert r.exit_code != 0
        assert expected in r.output and "hunter2" not in r.output
        assert "Traceback" not in r.output and not isinstance(r.exception, (KeyError, AttributeError))
