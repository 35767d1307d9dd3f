"""Crash consistency of the store, with real processes.

* ``kill -9`` in the middle of a 20,000-article ``newsweave add``: the database
  opens, passes SQLite's and FTS5's integrity checks, holds only whole
  articles (each with its sentences and its index row), and adding the same
  file again completes the set without duplicates.
* two ``newsweave add`` processes writing one database at once, with
  overlapping inputs: both succeed and every article is stored once.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

_EXE = Path(sys.executable).with_name("newsweave")
# Stories are placed with the lexical model here: these tests are about the store's
# consistency, and MiniLM on 20,000 articles would outlast the timeouts on 2 cores.
_ENV = {**os.environ, "NEWSWEAVE_STORY_MODEL": "lexical"}
NW = [str(_EXE)] if _EXE.exists() else [sys.executable, "-m", "newsweave.cli"]
N = 20_000


def _articles(path: Path, ids: range, tag: str = "") -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in ids:
            text = (f"Dockers at berth {i} walked out on Monday{tag}. The union said {i % 97} crews stopped work. "
                    "Talks with the port authority resume on Friday.")  # fmt: skip
            fh.write(json.dumps({"id": f"a{i}", "text": text, "title": f"Berth {i}"}) + "\n")
    return path


def _consistent(db: Path) -> int:
    """Check every invariant a crash could break; return the number of articles."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")  # raises if out of sync
        n = int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
        assert conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == n
        # Whole articles only: each has its sentences, and no sentence lacks its article.
        assert conn.execute(
            "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM sentences s WHERE s.article_hash = a.hash)"
        ).fetchone()[0] == 0
        assert conn.execute(
            "SELECT count(*) FROM sentences s WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.hash = s.article_hash)"
        ).fetchone()[0] == 0
        assert conn.execute("SELECT count(*) - count(DISTINCT hash) FROM articles").fetchone()[0] == 0
        if n:
            assert conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'dockers'").fetchone()[0] == n
    return n


def _stored(db: Path) -> int:
    try:
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs kill -9")
def test_kill_9_during_add_leaves_a_consistent_store(tmp_path: Path) -> None:
    src = _articles(tmp_path / "many.jsonl", range(N))
    db = tmp_path / "k.db"
    proc = subprocess.Popen([*NW, "add", str(src), "--db", str(db)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=_ENV)  # fmt: skip
    # Kill it once some batches are committed and more are on their way.
    deadline = time.monotonic() + 60
    while _stored(db) < 1000 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "add finished before it could be killed"
    partial = _consistent(db)
    assert 0 < partial < N
    # Adding again completes the set; what was stored is not stored twice.
    res = subprocess.run([*NW, "add", str(src), "--db", str(db), "--json"], capture_output=True, timeout=120,
                         env=_ENV)
    assert res.returncode == 0, res.stderr.decode()[-1000:]
    summary = json.loads(res.stdout)
    assert (summary["added"], summary["already_stored"]) == (N - partial, partial)
    assert _consistent(db) == N


def test_two_concurrent_writers_both_land(tmp_path: Path) -> None:
    db = tmp_path / "two.db"
    a = _articles(tmp_path / "a.jsonl", range(0, 3000))
    b = _articles(tmp_path / "b.jsonl", range(2000, 5000))  # 1,000 articles in both
    procs = [
        subprocess.Popen([*NW, "add", str(f), "--db", str(db), "--json"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=_ENV)
        for f in (a, b)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (_, err) in zip(procs, outs):
        assert p.returncode == 0, err.decode()[-1000:]
    summaries = [json.loads(out) for out, _ in outs]
    assert sum(s["added"] for s in summaries) == 5000
    assert sum(s["already_stored"] for s in summaries) == 1000
    assert _consistent(db) == 5000
    # Each article is placed in exactly one story, and the stories count each once.
    with contextlib.closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT count(*) FROM story_articles WHERE story_id IS NOT NULL").fetchone()[0] == 5000
        assert conn.execute("SELECT sum(articles) FROM stories WHERE merged_into IS NULL").fetchone()[0] == 5000
