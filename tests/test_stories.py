"""Stories: online clustering, copies, merges, time window, store state, CLI contracts."""

from __future__ import annotations

import json
import sqlite3
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsweave.cli import main
from newsweave.models import Article
from newsweave.store import Store, open_store
from newsweave.store.migrations import MIGRATIONS
from newsweave.stories.assign import assign_pending, cluster_articles
from newsweave.stories.cluster import StoryClusterer, story_id_for
from newsweave.stories.model import FEATURES, Model, load_model
from newsweave.stories.represent import unassignable
from tests.store_backends import Backend

sys.path.insert(0, str(Path(__file__).parent))
from story_fixtures import BRIDGE, FIRE, RATES, STORIES, jsonl_lines  # noqa: E402


def arts(story: list[tuple[str, str, str, str]], key: str, dated: bool = True) -> list[Article]:
    return [
        Article(text, id=f"{key}-{n}", title=title, source=outlet, published=day if dated else None)
        for n, (outlet, day, title, text) in enumerate(story, 1)
    ]


ALL = arts(BRIDGE, "bridge") + arts(RATES, "rates") + arts(FIRE, "fire")


def groups(mapping: dict[str, str]) -> set[frozenset[str]]:
    by: dict[str, set[str]] = {}
    for aid, sid in mapping.items():
        by.setdefault(sid, set()).add(aid)
    return {frozenset(v) for v in by.values()}


GOLD = {frozenset(f"{k}-{n}" for n in range(1, len(v) + 1)) for k, v in STORIES.items()}


# ------------------------------------------------------------------ clustering


@pytest.mark.parametrize("model", ["lexical", "embed"])
def test_three_unrelated_stories_are_three(model: str) -> None:
    if model == "embed":
        pytest.importorskip("onnxruntime")
        from newsweave.synthesize.embed import embeddings_available

        if not embeddings_available():
            pytest.skip("the embed extra is not installed")
    mapping, placed = cluster_articles(ALL, model=model)
    assert groups(mapping) == GOLD
    assert all(a.reason is None for a in placed)


def test_undated_articles_join_by_content_alone() -> None:
    undated = arts(BRIDGE, "bridge", dated=False) + arts(RATES, "rates", dated=False)
    mapping, _ = cluster_articles(undated, model="lexical")
    assert groups(mapping) == {g for g in GOLD if next(iter(g)).startswith(("bridge", "rates"))}


def test_story_ids_are_stable_and_come_from_the_first_article() -> None:
    first, _ = cluster_articles(ALL, model="lexical")
    again, _ = cluster_articles(list(ALL), model="lexical")
    assert first == again
    assert first["bridge-1"] == story_id_for(ALL[0].hash)


@pytest.mark.parametrize("text", ["", "   \n ", "Breaking: more soon.", "One line only here now"])
def test_empty_or_one_line_articles_are_left_out_with_a_reason(text: str) -> None:
    art = Article(text, id="x")
    assert unassignable(art)
    _, placed = cluster_articles([art, *ALL[:2]], model="lexical")
    assert placed[0].story_id is None and placed[0].reason


def test_a_story_from_march_does_not_absorb_a_similar_one_from_june() -> None:
    march = arts(BRIDGE, "bridge")
    june = [Article(a.text.replace("Tuesday", "Friday") + " A second span gave way.", id="june-1", title=a.title,
                    source=a.source, published="2025-06-20") for a in march[:1]]
    mapping, _ = cluster_articles(march + june, model="lexical")
    assert mapping["june-1"] != mapping["bridge-1"]
    # Without dates, the same text is one story (content alone).
    undated = [replace(a, published=None) for a in march + june]
    mapping, _ = cluster_articles(undated, model="lexical")
    assert mapping["june-1"] == mapping["bridge-1"]


def test_republished_copy_joins_its_original_and_is_marked() -> None:
    orig = arts(RATES, "rates")[0]
    copy = Article(orig.text + "\n\nThis story was first published by Arrenia Business Post.", id="copy",
                   source="Weekly Echo", title="Rates up again", published=orig.published)
    c = StoryClusterer(load_model("lexical"))
    a = c.add(orig)
    b = c.add(copy)
    assert b.story_id == a.story_id and b.copy_of == orig.hash
    assert c.stories[a.story_id].independent == 1 and c.stories[a.story_id].n == 2


def test_a_bridge_article_merges_two_stories_and_the_old_id_resolves() -> None:
    # A hand-set model: joining needs a text cosine over 0.2, merging one over 0.3.
    w = [0.0] * len(FEATURES)
    w[FEATURES.index("bias")], w[FEATURES.index("text")] = -2.0, 10.0
    m = Model("test", tuple(w), threshold=0.0, merge=1.0, set_threshold=0.0, set_merge=1.0)
    c = StoryClusterer(m)
    a = c.add(Article("Harbour cranes idle at Port Vell as dockers strike over night shifts and pay.", id="a",
                      title="Port Vell strike"))
    b = c.add(Article("Velmora council votes on the new tram line budget for the old town district.", id="b",
                      title="Velmora tram vote"))
    assert a.story_id != b.story_id
    bridge = c.add(Article("Port Vell dockers strike over pay while Velmora council votes on the tram line "
                           "budget for the old town district and harbour cranes idle.", id="c", title="Both"))
    assert bridge.merged == (b.story_id,) and bridge.story_id == a.story_id
    assert c.resolve(b.story_id) == a.story_id


def test_candidates_come_from_the_index_not_every_story() -> None:
    c = StoryClusterer(load_model("lexical"))
    for i in range(60):
        c.add(Article(f"Unrelated item {i}: the zebra{i} council of town{i} met about bins{i} and roads{i} today.",
                      id=f"u{i}"))
    probe = arts(FIRE, "fire")[0]
    from newsweave.stories.represent import represent

    rep = represent(probe)
    c.prepare(probe, rep)
    assert len(c.candidate_features(rep, 99)) <= 5  # none of the 60 shares its words


# ----------------------------------------------------------------------- store


def test_store_assigns_in_batches_with_stable_ids_and_resumes(tmp_path: Path, backend: Backend) -> None:
    db = backend.db(tmp_path)
    rows = jsonl_lines(dated=False)
    with open_store(db) as s:
        s.add([Article(r["text"], id=r["id"], title=r["title"], source=r["source"]) for r in rows[:4]])
        assign_pending(s, model="lexical")
        first = s.assignments()
    with open_store(db) as s:  # a new process: state comes from the store
        s.add([Article(r["text"], id=r["id"], title=r["title"], source=r["source"]) for r in rows[4:]])
        rep = assign_pending(s, model="lexical")
        now = s.assignments()
        assert rep.placed == 4
        assert all(now[k] == v for k, v in first.items())  # ids never change
        assert groups(now) == GOLD
        assert s.story_meta("model") == "lexical"
        sid = now["bridge-1"]
        row = s.story(sid)
        assert row is not None and row.articles == 3 and set(row.outlets) == {o for o, *_ in BRIDGE}
        assert [a.id for a in s.story_articles(sid)] == ["bridge-1", "bridge-2", "bridge-3"]
        assert s.story_of("bridge-2") == sid
        assert {r.id for r in s.stories(query="krona")} == {now["rates-1"]}
        assert len(s.stories(limit=2)) == 2
        assert s.stories(since="2999-01-01") == []


def test_store_records_copies_and_left_out_articles(tmp_path: Path, backend: Backend) -> None:
    with open_store(backend.db(tmp_path)) as s:
        orig = arts(FIRE, "fire")[0]
        s.add([orig, Article("", id="empty"), Article("Just one short line", id="short")])
        s.add([replace(orig, id="fire-copy", source="Other Outlet")])
        assert s.record_copies([replace(orig, id="fire-copy", source="Other Outlet")]) == 1
        rep = assign_pending(s, model="lexical")
        assert {aid for aid, _ in rep.unassigned} == {"short"} or {aid for aid, _ in rep.unassigned} >= {"short"}
        got = s.assignments()
        assert got["fire-copy"] == got["fire-1"]
        assert dict(s.unassigned())["short"]
        assert s.story_of("fire-copy") == got["fire-1"]


def test_merge_is_recorded_and_old_id_resolves_in_the_store(tmp_path: Path, backend: Backend) -> None:
    with open_store(backend.db(tmp_path)) as s:
        s.add(ALL[:1])
        s.add(ALL[3:4])
        assign_pending(s, model="lexical")
        a, b = s.story_of("bridge-1"), s.story_of("rates-1")
        assert a and b and a != b
        s.save_story_batch([], [], [(b, a, None)], 0, [])
        assert s.resolve_story(b) == a
        assert s.story(b).id == a  # type: ignore[union-attr]
        assert s.story_of("rates-1") == a
        assert s.story_merges() == [(b, a)]


def test_a_store_from_the_previous_version_migrates_in_place(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
    from newsweave.store.migrations import _split_script  # the old version's one migration, run by hand

    for stmt in _split_script(MIGRATIONS[0].sql):
        conn.execute(stmt)
    conn.execute("INSERT INTO migrations VALUES (1, 'old', '2025-01-01')")
    a = ALL[0]
    conn.execute(
        "INSERT INTO articles (hash, id, title, source, text, added_at, format) VALUES (?, ?, ?, ?, ?, ?, 'text')",
        (a.hash, a.id, a.title, a.source, a.text, "2025-01-01"),
    )
    conn.close()
    with Store.open(db) as s:
        assert s.count() == 1
        assign_pending(s, model="lexical")
        assert s.story_of(a.id) == story_id_for(a.hash)


# ------------------------------------------------------------------------- CLI


def test_cli_stories_json_for_files_and_db(tmp_path: Path) -> None:
    f = tmp_path / "mixed.jsonl"
    f.write_text("".join(json.dumps(r) + "\n" for r in jsonl_lines()), encoding="utf-8")
    run = CliRunner().invoke(main, ["stories", str(f), "--json", "--story-model", "lexical"])
    assert run.exit_code == 0, run.output
    assert groups(json.loads(run.stdout)) == GOLD
    db = str(tmp_path / "s.db")
    add = CliRunner().invoke(main, ["add", str(f), "--db", db, "--story-model", "lexical"])
    assert add.exit_code == 0, add.output
    assert "stories: 3 new" in add.output
    one = CliRunner().invoke(main, ["stories", "--db", db, "--json"])
    two = CliRunner().invoke(main, ["stories", "--db", db, "--json"])
    assert json.loads(one.stdout) == json.loads(two.stdout)
    assert groups(json.loads(one.stdout)) == GOLD
    table = CliRunner().invoke(main, ["stories", "--db", db, "--limit", "2"])
    assert table.exit_code == 0 and len(table.stdout.strip().splitlines()) == 3
    assert "Ansel" in CliRunner().invoke(main, ["stories", "--db", db, "--query", "bridge"]).stdout


def test_cli_stories_rejects_filters_without_db(tmp_path: Path) -> None:
    f = tmp_path / "a.jsonl"
    f.write_text(json.dumps(jsonl_lines()[0]) + "\n", encoding="utf-8")
    run = CliRunner().invoke(main, ["stories", str(f), "--since", "2025-01-01"])
    assert run.exit_code == 2 and "--db" in run.output


def test_copy_index_is_bounded_and_forgets_the_oldest() -> None:
    from newsweave.stories.dedupe import CopyIndex

    d = CopyIndex(capacity=3)
    texts = [" ".join(f"w{i}x{k}" for k in range(40)) for i in range(5)]
    for i, t in enumerate(texts):
        d.add(f"a{i}", d.signature(Article(t)))
    assert len(d) == 3
    assert d.find(d.signature(Article(texts[0]))) is None  # forgotten
    assert d.find(d.signature(Article(texts[4]))) == "a4"
    assert d.signature(Article("too short to judge")) is None


def test_inverted_index_skips_keys_in_too_many_stories() -> None:
    from newsweave.stories import index as ix_mod

    ix = ix_mod.InvertedIndex()
    for i in range(ix_mod.MAX_POSTING + 1):
        ix.update(f"s{i}", {"common", f"rare{i}"})
    assert ix.candidates(["common"], limit=5) == []
    assert ix.candidates(["common", "rare7"], limit=5) == ["s7"]
    ix.remove("s7")
    assert ix.candidates(["rare7"], limit=5) == []


def test_clusterer_state_round_trips_through_json() -> None:
    from newsweave.stories.cluster import StoryState

    c = StoryClusterer(load_model("lexical"))
    a = c.add(ALL[0])
    st = c.stories[a.story_id]  # type: ignore[index]
    back = StoryState.from_json(st.id, json.loads(json.dumps(st.to_json())))
    assert back.n == st.n and back.first_day == st.first_day and back.title == st.title
    assert set(back.terms) == set(st.terms)


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXAMPLE_STORIES = ("harbor-strike", "orrin-floods", "saren-bridge")


def _stored_stories(tmp_path: Path, folders: list[str], model: str) -> list[str]:
    db = str(tmp_path / "ex.db")
    for folder in folders:
        add = CliRunner().invoke(main, ["add", str(EXAMPLES / folder), "--db", db, "--story-model", model])
        assert add.exit_code == 0, add.output
    run = CliRunner().invoke(main, ["stories", "--db", db, "--json"])
    assert run.exit_code == 0, run.output
    return list(json.loads(run.stdout).values())


@pytest.mark.parametrize("model", ["lexical", "embed"])
@pytest.mark.parametrize("folder", EXAMPLE_STORIES)
def test_a_developing_story_added_to_a_store_stays_one_story(tmp_path: Path, folder: str, model: str) -> None:
    # Follow-ups told from other angles (the anger a day later, a denial, an analysis) join it.
    if model == "embed":
        pytest.importorskip("onnxruntime")
    stories = _stored_stories(tmp_path, [folder], model)
    assert len(stories) == 5 and len(set(stories)) == 1


def test_three_stories_added_together_stay_three(tmp_path: Path) -> None:
    stories = _stored_stories(tmp_path, list(EXAMPLE_STORIES), "lexical")
    assert len(stories) == 15 and len(set(stories)) == 3


def _example_articles(folders: tuple[str, ...]) -> list[Article]:
    from newsweave.ingest import read_inputs

    files = [str(p) for f in folders for p in sorted((EXAMPLES / f).iterdir()) if p.name != "README.md"]
    return [a for a in read_inputs(files) if isinstance(a, Article)]


@pytest.mark.parametrize("folders", [(f,) for f in EXAMPLE_STORIES] + [EXAMPLE_STORIES])
def test_brief_groups_a_folder_by_story_with_its_follow_ups(folders: tuple[str, ...]) -> None:
    from newsweave.stories.briefs import group_articles

    groups, left = group_articles(_example_articles(folders), model="lexical")
    assert not left and len(groups) == len(folders)
    assert all(len(g.articles) == 5 for g in groups)
