"""The store suite, run in full against both stores: SQLite (a file) and PostgreSQL
(a real throwaway server, see ``pg_server`` in conftest.py). Idempotent add, atomic
per article, full-text search, migrations; each store's own failure modes last."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsweave.errors import BadInput, StoreError
from newsweave.ingest.text import parse_text
from newsweave.models import Analysis, Article, Sentence
from newsweave.store import AddResult, Store, open_store, quote_query
from newsweave.store.migrations import APPLICATION_ID, LATEST, MIGRATIONS
from tests.store_backends import Backend


def make_article(text: str, **kw: object) -> Article:
    """Builder: an Article from a line of text we wrote."""
    return Article(text=text, **kw)  # type: ignore[arg-type]


STRIKE = make_article(
    "Dockers at the fictional port of Velmora walked out on Tuesday. "
    "The union said 400 workers joined the strike.",
    title="Velmora dockers strike",
    source="Harbor Wire",
    published="2031-04-08",
    url="https://harborwire.example/strike",
)
TALKS = make_article(
    "Talks between the union and the port authority resumed on Thursday. "
    "Mediator Ilsa Brandt said both sides were close to a deal on night shifts.",
    title="Port talks resume",
    source="Coastal Ledger",
)
FERRY = make_article(
    "Ferry crossings to Orlin Island were cancelled because of the storm.",
    title="Storm halts ferries",
)


# ------------------------------------------------------------------ add


def test_add_is_idempotent(store: Any) -> None:
    first = store.add([STRIKE, TALKS])
    assert first == AddResult(added=2, skipped_existing=0, failed=0)
    second = store.add([STRIKE, TALKS])
    assert second.added == 0 and second.skipped_existing == 2
    assert store.count() == 2 == len(store)


def test_same_text_twice_in_one_batch_is_stored_once(store: Any) -> None:
    copy = make_article(STRIKE.text.replace(" ", "  "), source="Other Outlet")  # same content hash
    r = store.add([STRIKE, copy])
    assert (r.added, r.skipped_existing) == (1, 1)


def test_round_trip_fields(store: Any) -> None:
    store.add([STRIKE])
    got = store.get(STRIKE.id)
    assert got == STRIKE
    assert store.get(STRIKE.hash) == STRIKE
    assert store.get("no-such-id") is None
    assert STRIKE.id in store and "nope" not in store


def test_given_ids_are_kept_and_listed_in_order(store: Any) -> None:
    a = make_article("The harbour master resigned.", id="hm-1")
    b = make_article("A new harbour master was named.", id="hm-2")
    store.add([a, b, FERRY])
    assert [x.id for x in store.articles()] == ["hm-1", "hm-2", FERRY.id]
    assert [x.id for x in store.articles(["hm-2", "missing", "hm-1"])] == ["hm-2", "hm-1"]


def test_sentences_are_stored_with_exact_offsets(store: Any) -> None:
    art = parse_text("date 2031-04-08 Velmora strike widens\n\nCranes stood idle. Ships waited offshore.\n")
    store.add([art])
    sents = store.sentences(art.id)
    assert [s.text for s in sents][-2:] == ["Cranes stood idle.", "Ships waited offshore."]
    for s in sents:
        assert art.text[s.start : s.end] == s.text
    assert [s.index for s in sents] == list(range(len(sents)))
    with pytest.raises(KeyError):
        store.sentences("unknown")


def test_split_false_defers_sentences_until_asked(store: Any, backend: Backend) -> None:
    store.add([TALKS], split=False)
    assert backend.sql(store, "SELECT count(*) FROM sentences") == [(0,)]
    sents = store.sentences(TALKS.id)
    assert len(sents) == 2
    assert backend.sql(store, "SELECT count(*) FROM sentences") == [(2,)]
    assert store.sentences(TALKS.id) == sents


def test_analysis_brings_its_own_sentences(store: Any) -> None:
    text = "One fictional line. Another one."
    art = make_article(text)
    sents = (Sentence(art.id, 0, 0, len(text), text),)  # deliberately unsplit
    store.add([Analysis(article=art, sentences=sents)])
    assert [s.text for s in store.sentences(art.id)] == [text]


def test_bad_inputs_are_counted_and_the_batch_lands(store: Any) -> None:
    r = store.add([STRIKE, BadInput("looks like a binary file", "x.bin"), TALKS])
    assert (r.added, r.failed) == (2, 1)
    assert r.errors == ("x.bin: looks like a binary file",)


def test_known_hashes(store: Any) -> None:
    store.add([STRIKE, TALKS], split=False)
    many = [f"{i:016x}" for i in range(1200)]  # more than one query's worth
    assert store.known_hashes([FERRY.hash, STRIKE.hash, *many, TALKS.hash]) == {STRIKE.hash, TALKS.hash}
    assert store.known_hashes([]) == set()


def test_results_merge() -> None:
    a = AddResult(1, 2, 1, ("x: bad",))
    assert a + AddResult(3, 0, 0) == AddResult(4, 2, 1, ("x: bad",))


# ------------------------------------------------- atomic per article


def _bad_splitter(poison: str):  # type: ignore[no-untyped-def]
    """A splitter whose second sentence breaks the CHECK constraint for one article."""
    from newsweave.analyze.sentences import split_sentences

    def split(article: Article) -> tuple[Sentence, ...]:
        sents = split_sentences(article)
        if poison in article.text:
            return (sents[0], Sentence(article.id, 1, 10, 2, "bad"))  # end < start
        return sents

    return split


@pytest.mark.parametrize("batch_size", [1, 2, 500])
def test_failure_mid_article_leaves_nothing(store: Any, backend: Backend, batch_size: int) -> None:
    poisoned = make_article("Zanthrope cargo was seized. Customs gave no reason.", title="Zanthrope seizure")
    r = store.add([STRIKE, poisoned, TALKS], splitter=_bad_splitter("Zanthrope"), batch_size=batch_size)
    assert (r.added, r.failed) == (2, 1)
    assert "Zanthrope" not in "".join(a.text for a in store.articles())
    assert store.get(poisoned.id) is None
    assert store.search("zanthrope") == []
    left = backend.sql(store, "SELECT count(*) FROM sentences WHERE article_hash = ?", (poisoned.hash,))
    assert left == [(0,)]
    # Neighbours are complete: row, sentences and index entry.
    assert len(store.sentences(TALKS.id)) == 2
    assert store.search("mediator")[0].article_id == TALKS.id
    if backend.name == "sqlite":
        store.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    # The failed article can be added later, once the problem is fixed.
    assert store.add([poisoned]).added == 1


def test_splitter_exception_fails_only_that_article(store: Any) -> None:
    def boom(article: Article) -> tuple[Sentence, ...]:
        raise RuntimeError("splitter bug")

    r = store.add([FERRY], splitter=boom)
    assert (r.added, r.failed) == (0, 1) and "splitter bug" in r.errors[0]
    assert store.count() == 0


# ------------------------------------------------------------- search


def test_search_ranks_and_snippets(store: Any) -> None:
    store.add([STRIKE, TALKS, FERRY])
    hits = store.search("union")
    assert {h.article_id for h in hits} == {STRIKE.id, TALKS.id}
    assert all("**union**" in h.snippet for h in hits)
    assert hits[0].score >= hits[-1].score
    top = store.search("strike")[0]
    assert (top.article_id, top.title, top.source, top.published) == (
        STRIKE.id,
        "Velmora dockers strike",
        "Harbor Wire",
        "2031-04-08",
    )


def test_title_match_outranks_body_mention(store: Any) -> None:
    body_only = make_article(
        "Unrelated report. " * 5 + "Ferries are mentioned once here.", title="Bus timetable"
    )
    store.add([body_only, FERRY])
    assert store.search("ferries")[0].article_id == FERRY.id


def test_search_syntax(store: Any) -> None:
    store.add([STRIKE, TALKS, FERRY])
    assert [h.article_id for h in store.search('"night shifts"')] == [TALKS.id]
    assert [h.article_id for h in store.search("ferr*")] == [FERRY.id]
    assert [h.article_id for h in store.search("title:storm")] == [FERRY.id]
    assert store.search("union NOT mediator")[0].article_id == STRIKE.id
    assert len(store.search("the", limit=1)) == 1
    assert store.search("nothingmatchesthis") == []


def test_diacritics_fold(store: Any) -> None:
    store.add([make_article("The café on the quay reopened.")])
    assert len(store.search("cafe")) == 1


@pytest.mark.parametrize(
    ("query", "found"),
    [('"unclosed', False), ("port-authority AND", True), ("source:Reuters", False), ("(a OR", True),
     ("NOT", False), ("talks AND (", True), ("(zzz OR", False)],
)
def test_queries_that_do_not_parse_search_their_words(store: Any, query: str, found: bool) -> None:
    store.add([TALKS])
    hits = store.search(query)  # never an FTS5 syntax error
    assert bool(hits) is found


def test_empty_query(store: Any) -> None:
    with pytest.raises(StoreError, match="empty"):
        store.search("  ")


def test_quote_query_makes_queries_valid(store: Any) -> None:
    store.add([TALKS])
    q = quote_query("port-authority talks")
    assert q == '("port authority" OR "portauthority") AND talks'
    assert store.search(q)[0].article_id == TALKS.id


# -------------------------------------------------- files, paths, errors


def test_file_store_is_wal_with_foreign_keys_and_migrations(tmp_path: Path) -> None:
    db = tmp_path / "sub" / "news.db"
    with Store.open(db) as s:
        s.add([STRIKE])
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        rows = s.conn.execute("SELECT version, name FROM migrations").fetchall()
        assert [r[0] for r in rows] == [m.version for m in MIGRATIONS]
        assert s.conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    with Store.open(db) as s:  # reopening migrates nothing and keeps the data
        assert s.count() == 1
        assert s.conn.execute("SELECT count(*) FROM migrations").fetchone()[0] == len(MIGRATIONS)


def test_sentences_cascade_with_their_article(store: Any, backend: Backend) -> None:
    store.add([STRIKE])
    backend.sql(store, "DELETE FROM articles WHERE hash = ?", (STRIKE.hash,))
    assert backend.sql(store, "SELECT count(*) FROM sentences") == [(0,)]
    assert store.search("dockers") == []


def test_default_path_from_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "env.db"
    monkeypatch.setenv("NEWSWEAVE_DB", str(target))
    with Store.open() as s:
        assert s.path == str(target)
    assert target.exists()


def test_default_path_in_user_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSWEAVE_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    from newsweave.store import resolve_path

    assert resolve_path(None) == str(tmp_path / "newsweave" / "news.db")


def test_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "notes.db"
    junk.write_text("these are my notes, not a database\n" * 50)
    with pytest.raises(StoreError, match="not a newsweave database.*--db"):
        Store.open(junk)


def test_someone_elses_sqlite_database(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE invoices (n INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a newsweave database.*invoices"):
        Store.open(other)
    # and it was left untouched
    conn = sqlite3.connect(other)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["invoices"]
    conn.close()


def test_folder_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        Store.open(tmp_path)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    Store.open(db).close()
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO migrations VALUES (?, 'from the future', 'x')", (LATEST + 1,))
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer newsweave"):
        Store.open(db)


def test_locked_database_names_the_fix(tmp_path: Path) -> None:
    db = tmp_path / "busy.db"
    Store.open(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        with Store.open(db, timeout=0.05) as s, pytest.raises(StoreError, match="locked.*retry"):
            s.add([FERRY])
    finally:
        holder.execute("ROLLBACK")
        holder.close()


# ------------------------------------------------------------ property


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300).filter(
    lambda t: t.strip() != ""
)
_OPT = st.none() | st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(
    text=_TEXT,
    title=_OPT,
    source=_OPT,
    story=_OPT,
    published=st.none() | st.dates().map(lambda d: d.isoformat()),
)
def test_round_trip_property(
    store: Any, backend: Backend, text: str, title: str | None, source: str | None, story: str | None,
    published: str | None,
) -> None:
    art = Article(text=text, title=title, source=source, story=story, published=published, format="jsonl")
    backend.empty(store)
    s = store  # one store per test; emptied for each example
    assert s.add([art]).added == 1
    assert s.add([art]).skipped_existing == 1
    assert s.get(art.id) == art
    assert list(s.articles()) == [art]
    for sent in s.sentences(art.id):
        assert art.text[sent.start : sent.end] == sent.text


def test_read_only_uri_reads_and_refuses_writes(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    with Store.open(db) as s:
        s.add([STRIKE])
    with Store.open(f"file:{db}?mode=ro") as ro:
        assert ro.search("dockers")[0].article_id == STRIKE.id
        with pytest.raises(StoreError, match="read-only.*--db"):
            ro.add([TALKS])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_query_gives_hits_or_a_store_error(store: Any, query: str) -> None:
    s = store
    s.add([STRIKE, TALKS], split=False)
    try:
        hits = s.search(query)
    except StoreError as exc:
        assert "search" in str(exc)
        return
    assert all(h.article_id in (STRIKE.id, TALKS.id) for h in hits)


def test_progress_reports_running_totals(store: Any) -> None:
    seen: list[int] = []
    arts = [make_article(f"Report {i} about the harbour.") for i in range(5)]
    store.add(arts, batch_size=2, split=False, progress=lambda r: seen.append(r.added))
    assert seen == [2, 4, 5]


def test_known_articles_are_not_split_again(store: Any) -> None:
    from newsweave.analyze.sentences import split_sentences

    calls: list[str] = []

    def counting(article: Article) -> tuple[Sentence, ...]:
        calls.append(article.id)
        return split_sentences(article)

    store.add([STRIKE, TALKS], splitter=counting)
    store.add([STRIKE, TALKS, FERRY, FERRY], splitter=counting)
    assert calls == [STRIKE.id, TALKS.id, FERRY.id]


def test_two_writers_on_one_store_both_land(backend: Backend, tmp_path: Path) -> None:
    import threading

    db = backend.shared(tmp_path)
    open_store(db).close()
    results: list[AddResult] = []

    def writer(tag: str) -> None:
        with open_store(db) as s:
            arts = [make_article(f"Writer {tag} report {i} on the harbour.") for i in range(300)]
            results.append(s.add(arts, batch_size=50, split=False))

    threads = [threading.Thread(target=writer, args=(t,)) for t in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.added for r in results) == [300, 300]
    with open_store(db) as s:
        assert s.count() == 600


def test_hyphenated_word_finds_its_closed_form(store: Any) -> None:
    hyphen = make_article("A cease-fire was agreed at the harbour late on Monday.", title="Harbour truce")
    closed = make_article("The ceasefire at the harbour collapsed by Wednesday.", title="Truce collapses")
    store.add([hyphen, closed])
    for query in ("cease-fire", "ceasefire", "title:truce cease-fire"):
        assert {h.article_id for h in store.search(query)} == {hyphen.id, closed.id}, query
