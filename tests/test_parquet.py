"""Parquet in (``add`` reads article tables) and out (``export``), and the
local engine's bulk loading: same columns as the JSONL contract, bad rows
reported by row number, a round trip that loses nothing."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsweave.cli import main
from newsweave.errors import BadInput
from newsweave.ingest import read_inputs
from newsweave.load import LoadStats, add_articles
from newsweave.models import Article
from newsweave.run import make_engine
from newsweave.store import open_store

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

ROWS = [
    {"id": "p1", "text": "Dockers in Velmora walked out on Tuesday. The union backed them.", "title": "Walkout",
     "source": "Harbor Wire", "published": "2031-04-08", "story": "strike"},
    {"id": "p2", "text": "The port board offered a cease-fire in the pay dispute.", "title": "Offer",
     "source": "Coastal Ledger", "published": None, "story": "strike"},
    {"id": "p3", "text": "Ferries to Orlin Island were cancelled because of the storm.", "title": None,
     "source": None, "published": "2031-04-09T06:30:00+00:00", "story": None},
]  # fmt: skip


def write_parquet(path: Path, rows: list[dict[str, Any]], **kw: Any) -> Path:
    pq.write_table(pa.Table.from_pylist(rows), path, **kw)
    return path


def test_parquet_rows_read_like_jsonl_lines(tmp_path: Path) -> None:
    pq_file = write_parquet(tmp_path / "a.parquet", ROWS)
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in ROWS))
    from_pq = [a for a in read_inputs([str(pq_file)]) if isinstance(a, Article)]
    from_jsonl = [a for a in read_inputs([str(jsonl)]) if isinstance(a, Article)]
    strip = lambda a: (a.id, a.text, a.title, a.source, a.published, a.story, a.hash)  # noqa: E731
    assert [strip(a) for a in from_pq] == [strip(a) for a in from_jsonl]
    assert from_pq[0].path == f"{pq_file}:row 1" and from_pq[0].format == "jsonl"


def test_typed_dates_and_extra_columns(tmp_path: Path) -> None:
    dates = [{"text": "Cranes stood idle.", "published": date(2031, 4, 8), "clicks": 3}]
    stamps = [{"text": "Ships waited offshore.", "published": datetime(2031, 4, 9, 6, 30, tzinfo=UTC), "clicks": 9}]
    got = list(read_inputs([str(write_parquet(tmp_path / "d.parquet", dates)),
                            str(write_parquet(tmp_path / "t.parquet", stamps))]))  # fmt: skip
    assert [a.published for a in got] == ["2031-04-08", "2031-04-09T06:30:00+00:00"]  # type: ignore[union-attr]


def test_bad_rows_are_reported_by_row_and_the_rest_loads(tmp_path: Path) -> None:
    rows = [{"text": "Cranes stood idle.", "published": "2031-04-08"},
            {"text": "", "published": None},
            {"text": "Ships waited.", "published": "last Tuesday"}]  # fmt: skip
    got = list(read_inputs([str(write_parquet(tmp_path / "b.parquet", rows))]))
    assert [type(x).__name__ for x in got] == ["Article", "BadInput", "BadInput"]
    assert "b.parquet:row 2: missing or empty 'text'" in str(got[1])
    assert "row 3" in str(got[2]) and "ISO date" in str(got[2])


@pytest.mark.parametrize("content, expected", [
    ({"headline": ["x"]}, "has no 'text' column (columns: headline)"),
    (None, "is not a readable Parquet file"),
])  # fmt: skip
def test_unusable_parquet_files(tmp_path: Path, content: dict[str, list[str]] | None, expected: str) -> None:
    path = tmp_path / "u.parquet"
    if content is None:
        path.write_bytes(b"PAR1 this is not really parquet")
    else:
        pq.write_table(pa.table(content), path)
    got = list(read_inputs([str(path)]))
    assert len(got) == 1 and isinstance(got[0], BadInput) and expected in str(got[0])


def test_big_table_streams_in_row_groups(tmp_path: Path) -> None:
    rows = [{"id": f"n{i}", "text": f"Harbour note {i}: the tide was late."} for i in range(3000)]
    path = write_parquet(tmp_path / "big.parquet", rows, row_group_size=1000)
    ids = [a.id for a in read_inputs([str(path)])]  # type: ignore[union-attr]
    assert ids == [f"n{i}" for i in range(3000)]


def test_folder_with_parquet_and_jsonl(tmp_path: Path) -> None:
    write_parquet(tmp_path / "one.parquet", ROWS[:2])
    (tmp_path / "two.jsonl").write_text(json.dumps(ROWS[2]) + "\n")
    assert sorted(a.id for a in read_inputs([str(tmp_path)])) == ["p1", "p2", "p3"]  # type: ignore[union-attr]


# ------------------------------------------------------------------ export


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_export_then_add_round_trips(tmp_path: Path, fmt: str) -> None:
    src = write_parquet(tmp_path / "in.parquet", ROWS)
    runner = CliRunner()
    assert runner.invoke(main, ["add", str(src), "--db", str(tmp_path / "a.db")]).exit_code == 0
    r = runner.invoke(main, ["export", "--db", str(tmp_path / "a.db"), "--format", fmt, "-o", str(tmp_path / "out")])
    assert r.exit_code == 0, r.output
    assert r.output.strip().startswith("3 articles, ")
    articles_file = tmp_path / "out" / f"articles.{fmt}"
    r = runner.invoke(main, ["add", str(articles_file), "--db", str(tmp_path / "b.db")])
    assert r.exit_code == 0, r.output
    with open_store(tmp_path / "a.db") as a, open_store(tmp_path / "b.db") as b:
        key = lambda x: (x.id, x.hash, x.text, x.title, x.source, x.published, x.story)  # noqa: E731
        assert [key(x) for x in a.articles()] == [key(x) for x in b.articles()]
        sentences = [s for art in a.articles() for s in a.sentences(art.id)]
    if fmt == "parquet":
        table = pq.read_table(tmp_path / "out" / "sentences.parquet").to_pylist()
    else:
        table = [json.loads(x) for x in (tmp_path / "out" / "sentences.jsonl").read_text().splitlines()]
    assert [(r["article_id"], r["index"], r["start"], r["end"], r["text"]) for r in table] == [
        (s.article_id, s.index, s.start, s.end, s.text) for s in sentences
    ]
    # The story assignments travel too: the store's own, one row per placed article.
    if fmt == "parquet":
        placed = pq.read_table(tmp_path / "out" / "assignments.parquet").to_pylist()
    else:
        placed = [json.loads(x) for x in (tmp_path / "out" / "assignments.jsonl").read_text().splitlines()]
    with open_store(tmp_path / "a.db") as a:
        assert {r["article_id"]: r["story_id"] for r in placed} == a.assignments()
    assert {"p1", "p2"} <= {r["article_id"] for r in placed}


def test_export_from_postgres(pg_url: str, tmp_path: Path) -> None:
    with open_store(pg_url) as s:
        s.add([Article(r["text"], id=r["id"], title=r["title"]) for r in ROWS])
    r = CliRunner().invoke(main, ["export", "--db", pg_url, "-o", str(tmp_path / "out")])
    assert r.exit_code == 0, r.output
    assert pq.read_table(tmp_path / "out" / "articles.parquet").column("id").to_pylist() == ["p1", "p2", "p3"]


def test_export_of_a_missing_store(tmp_path: Path, pg_url: str) -> None:
    for db in (str(tmp_path / "none.db"), pg_url):
        r = CliRunner().invoke(main, ["export", "--db", db, "-o", str(tmp_path / "out")])
        assert r.exit_code == 2 and "add articles first" in r.output, r.output
    assert not (tmp_path / "none.db").exists()
    import psycopg

    with psycopg.connect(pg_url) as conn:  # nothing was created in the database either
        assert conn.execute("SELECT count(*) FROM pg_namespace WHERE nspname = 'newsweave'").fetchone() == (0,)


def test_export_to_an_unwritable_place(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with open_store(tmp_path / "a.db") as s:
        s.add([Article("Cranes stood idle at the harbour.")])
    r = CliRunner().invoke(main, ["export", "--db", str(tmp_path / "a.db"), "-o", str(tmp_path / "file" / "sub")])
    assert r.exit_code == 1 and "cannot write the export" in r.output and "Traceback" not in r.output


# -------------------------------------------------- bulk load, local engine


def test_local_engine_load_matches_plain_add(tmp_path: Path) -> None:
    arts = [Article(f"Tide note {i}. The harbour was calm.", id=f"t{i}") for i in range(25)]
    with open_store(tmp_path / "a.db") as plain, open_store(tmp_path / "b.db") as loaded:
        plain.add(arts)
        with make_engine("local") as engine:
            stats = LoadStats()
            r = add_articles(loaded, arts + arts[:5], engine, partition_size=4, stats=stats)
        assert (r.added, r.skipped_existing, r.failed) == (25, 5, 0)
        assert stats.partitions == 7 and stats.failed == []
        assert [(a, plain.sentences(a.id)) for a in plain.articles()] == [
            (a, loaded.sentences(a.id)) for a in loaded.articles()
        ]


def test_local_engine_processes_report_a_failed_chunk() -> None:
    failures: list[tuple[int, list[object]]] = []
    with make_engine("local", workers=2) as engine:
        got = list(engine.imap_chunks(sum, [[1, 2], [3, "x"], [4]], on_failure=lambda i, c, e: failures.append((i, c))))
    assert got == [3, 4] and failures == [(1, [3, "x"])]
