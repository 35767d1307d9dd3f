"""The story methods of the store, run against both stores (SQLite and a real
PostgreSQL server): one implementation of the SQL (store/stories_sql.py), two
dialects. Placement, stable ids, merges, copies, paging, briefing marks, the
analysis cache, feeds, the one-placer lock and concurrent writers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from newsweave.models import Article
from newsweave.store import StoryStore, open_store
from newsweave.store.stories_sql import FeedState
from newsweave.stories.assign import Placer, assign_pending
from newsweave.stories.cluster import story_id_for
from newsweave.stories.represent import represent_many
from tests.store_backends import Backend

sys.path.insert(0, str(Path(__file__).parent))
from story_fixtures import BRIDGE, FIRE, RATES  # noqa: E402


def arts(story: list[tuple[str, str, str, str]], key: str) -> list[Article]:
    return [Article(text, id=f"{key}-{n}", title=title, source=outlet, published=day)
            for n, (outlet, day, title, text) in enumerate(story, 1)]


ALL = arts(BRIDGE, "bridge") + arts(RATES, "rates") + arts(FIRE, "fire")


@pytest.fixture
def placed(store: Any) -> Any:
    """A store holding the three fictional stories, placed."""
    store.add(ALL)
    assign_pending(store, model="lexical")
    return store


def test_both_stores_are_story_stores(store: Any) -> None:
    assert isinstance(store, StoryStore)
    assert store.stories() == [] and store.assignments() == {} and not store.has_pending()


def test_placing_lists_pages_and_finds_stories(placed: Any) -> None:
    got = placed.assignments()
    assert len(got) == len(ALL) and len(set(got.values())) == 3
    sid = got["bridge-1"]
    assert sid == story_id_for(ALL[0].hash)  # the first article names its story
    row = placed.story(sid)
    assert row.articles == 3 and row.independent == 3 and set(row.outlets) == {o for o, *_ in BRIDGE}
    assert (row.first_date, row.last_date) == ("2025-05-06", "2025-05-07")
    assert [a.id for a in placed.story_articles(sid)] == ["bridge-1", "bridge-2", "bridge-3"]
    assert placed.story_articles(sid)[0] == ALL[0]  # whole articles come back
    # by id, by content hash; unknown ones are None
    assert placed.story_of("bridge-2") == placed.story_of(ALL[1].hash) == sid
    assert placed.story_of("nope") is None and placed.story("s000") is None and placed.story_articles("s000") == []
    # listing: all, paged, filtered by search and by time
    every = [r.id for r in placed.stories()]
    assert sorted(every) == sorted(set(got.values()))
    assert [r.id for r in placed.stories(limit=2)] == every[:2]
    assert [r.id for r in placed.stories(limit=2, offset=1)] == every[1:3]
    assert [r.id for r in placed.stories(offset=1)] == every[1:]  # an offset without a limit
    assert [r.id for r in placed.stories(query="krona")] == [got["rates-1"]]
    assert placed.stories(query="zeppelin") == []
    assert placed.stories(since="2999-01-01") == [] and len(placed.stories(since="2000-01-01")) == 3
    assert placed.unassigned() == [] and not placed.has_pending()
    assert placed.added_at(ALL[0].hash) and placed.added_at("0" * 16) is None


def test_state_persists_and_a_new_session_resumes(backend: Backend, tmp_path: Path) -> None:
    db = backend.db(tmp_path)
    with open_store(db) as s:
        s.add(ALL[:2] + ALL[3:5])
        first = assign_pending(s, model="lexical")
        before = s.assignments()
        assert first.placed == 4 and s.story_meta("model") == "lexical"
        n, df = s.story_df()
        assert n == 4 and df
        newest, seq = s.story_clock()
        assert newest == "2025-05-08" and seq == 4
    with open_store(db) as s:  # the clusterer's state comes back from the store
        s.add([ALL[2], ALL[5], *ALL[6:]])
        assert s.has_pending()
        rep = assign_pending(s, model="embed")  # the store keeps the model it started with
        assert rep.model == "lexical" and rep.placed == 4
        now = s.assignments()
        assert all(now[k] == v for k, v in before.items())  # ids never change
        assert now["bridge-3"] == now["bridge-1"] and now["rates-3"] == now["rates-1"]
        assert len(s.story_states(min_last_date=None, max_active=10)) == 3
        assert [len(x[2]) > 0 for x in s.story_signatures(100)] == [True] * len(ALL)


def test_merges_resolve_old_ids(placed: Any) -> None:
    a, b = placed.story_of("bridge-1"), placed.story_of("rates-1")
    placed.save_story_batch([], [], [(b, a, ALL[3].hash)], 9, [("zz", 1)], meta={"note": "x"})
    assert placed.resolve_story(b) == a and placed.resolve_story("s000") is None
    assert placed.story(b).id == a
    assert placed.story_of("rates-2") == a
    assert placed.story_merges() == [(b, a)]
    assert b not in {r.id for r in placed.stories()}
    assert set(placed.assignments().values()) == {a, placed.story_of("fire-1")}
    assert placed.story_df()[0] == 9 and placed.story_df()[1]["zz"] == 1 and placed.story_meta("note") == "x"


def test_copies_and_articles_left_out(store: Any) -> None:
    orig = ALL[6]
    copy = replace(orig, id="fire-copy", source="Other Outlet")
    store.add([orig, Article("", id="empty"), Article("Just one short line", id="short")])
    assert store.add([copy]).skipped_existing == 1
    assert store.record_copies([copy, orig]) == 1  # the original itself is no copy
    assert store.record_copies([copy]) == 0  # nor is it recorded twice
    assign_pending(store, model="lexical")
    got = store.assignments()
    assert got["fire-copy"] == got["fire-1"] == store.story_of("fire-copy")
    assert store.copies_of(orig.hash) == [("fire-copy", "Other Outlet", None)]
    assert dict(store.unassigned())["short"]
    assert "short" not in got


def test_briefing_marks(placed: Any) -> None:
    sid = placed.story_of("fire-1")
    assert placed.briefed_at(sid) is None
    seqs, last = placed.story_arrivals(sid)
    assert set(seqs) == {ALL[6].hash, ALL[7].hash} and last is None
    placed.mark_briefed(sid, "2025-05-12T08:00:00+00:00")
    assert placed.briefed_at(sid) == "2025-05-12T08:00:00+00:00"
    assert placed.story_arrivals(sid)[1] == max(seqs.values())


def test_analysis_cache(placed: Any) -> None:
    h1, h2 = ALL[0].hash, ALL[1].hash
    placed.save_analyses([(h1, "", '{"a": 1}'), (h1, "2025-05-06", '{"a": 2}'), (h2, "", '{"b": 1}')], "v1")
    got = placed.cached_analyses([(h1, ""), (h1, "2025-05-06"), (h2, "2025-05-06")], "v1")
    assert got == {(h1, ""): '{"a": 1}', (h1, "2025-05-06"): '{"a": 2}'}
    assert placed.cached_analyses([(h1, "")], "v0") == {}
    placed.save_analyses([(h1, "", '{"a": 3}')], "v2")  # a new version replaces the old ones
    assert placed.cached_analyses([(h1, ""), (h1, "2025-05-06")], "v1") == {}
    assert [(r, v) for r, v, _ in placed.analyses_of(h1)] == [("", "v2")]
    assert placed.analyses_of(h2)[0][1] == "v1"


def test_feed_state_and_entries(store: Any) -> None:
    url = "https://feeds.example/news.xml"
    assert store.feed_state(url) == FeedState(url)
    st = FeedState(url, etag='"v1"', failures=2, next_poll="2025-05-06T10:00:00+00:00", last_error="timeout")
    store.save_feed_state(st)
    assert store.feed_state(url) == st
    store.save_feed_state(replace(st, failures=0, last_error=None))
    assert store.feed_state(url).failures == 0
    store.mark_items(url, [("e1", None), ("e2", ALL[0].hash)])
    store.mark_items(url, [("e1", None)])
    assert store.seen_items(url, ["e1", "e2", "e3"]) == {"e1", "e2"}
    assert store.seen_items("https://other.example/", ["e1"]) == set()


def test_text_with_nul_characters_is_kept_apart(store: Any) -> None:
    """PostgreSQL text cannot hold NUL: ids and titles with one still place and record."""
    odd = Article(ALL[3].text, id="rates\x00odd", title="Rates\x00", source="Capital\x00Ledger")
    store.add([ALL[3]])
    assert store.record_copies([odd]) == 1
    assign_pending(store, model="lexical")
    assert store.story_of("rates\x00odd") == store.story_of("rates-1") is not None


def test_one_placer_at_a_time(backend: Backend, tmp_path: Path) -> None:
    db = backend.db(tmp_path)
    with open_store(db) as a, open_store(db) as b:
        order: list[str] = []

        def second() -> None:
            with b.placing():
                order.append("b")

        with a.placing():
            t = threading.Thread(target=second)
            t.start()
            time.sleep(0.5)
            order.append("a")  # b is still waiting for the lock
        t.join(timeout=30)
        assert order == ["a", "b"]


def test_placing_as_it_writes_makes_the_same_stories(backend: Backend, tmp_path: Path) -> None:
    """A bulk load places whole batches as partitions land, with representations its
    workers prepared: the stories are those of placing everything at the end."""
    many = [replace(a, id=f"{a.id}-{k}", text=f"Update {k} of the day. {a.text}", hash="") for k in range(3) for a in ALL]
    with open_store(":memory:") as one:
        one.add(many)
        assign_pending(one, model="lexical", batch=7)
        expected = one.assignments()
    with open_store(backend.db(tmp_path)) as s, s.placing():
        p = Placer(s, model="lexical", batch=7)
        for i in range(0, len(many), 5):  # partitions of 5, batches of 7
            part = many[i : i + 5]
            s.add(part)
            p.offer((a.hash, r) for a, r in zip(part, represent_many(part)))
            p.place(final=False)
        assert p.place(final=True) == len(many) % 7 or len(many) % 7 == 0
        rep = p.finish()
        assert rep.placed == len(many)
        assert s.assignments() == expected


def test_two_concurrent_adds_place_each_article_once(backend: Backend, tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("newsweave")
    env = {**os.environ, "NEWSWEAVE_STORY_MODEL": "lexical"}
    db = backend.db(tmp_path)
    files = []
    for name, ids in (("a", range(0, 900)), ("b", range(600, 1500))):  # 300 in both
        f = tmp_path / f"{name}.jsonl"
        f.write_text("".join(json.dumps({
            "id": f"a{i}", "title": f"Berth {i} strike",
            "text": f"Dockers at berth {i} walked out on Monday. The union said {i % 97} crews stopped work.",
        }) + "\n" for i in ids))  # fmt: skip
        files.append(f)
    procs = [subprocess.Popen([str(exe), "add", str(f), "--db", db, "--json"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=env) for f in files]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (_, err) in zip(procs, outs):
        assert p.returncode == 0, err.decode()[-1000:]
    assert sum(json.loads(out)["added"] for out, _ in outs) == 1500
    with open_store(db) as s:
        assert not s.has_pending()
        got = s.assignments()
        assert len(got) == 1500
        assert sum(r.articles for r in s.stories()) == 1500  # each article counted once
        rows = backend.sql(s, "SELECT count(*), count(DISTINCT seq) FROM story_articles")
        assert rows[0][0] == rows[0][1] == 1500  # each placed once, with its own arrival number
