"""Briefings per story: several stories in one input, the analysis cache, update briefings."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsweave.cli import main
from newsweave.config import Settings
from newsweave.models import Article, Briefing, Citation, Claim, Dispute, Fact, LedgerEntry, SpeakerQuotes
from newsweave.store import open_store
from newsweave.stories import brief_story
from newsweave.stories.assign import assign_pending
from newsweave.stories.cache import analysis_from_json, analysis_to_json
from newsweave.synthesize.changes import what_changed
from tests.store_backends import Backend

sys.path.insert(0, str(Path(__file__).parent))
from story_fixtures import BRIDGE, FIRE, STORIES, write_folder  # noqa: E402


def _ids_by_story(briefings: list[dict]) -> list[set[str]]:
    return [{a["title"] for a in b["sources"]} for b in briefings]


def test_a_folder_of_three_stories_gives_three_briefings_none_mixed(tmp_path: Path) -> None:
    where = write_folder(tmp_path / "mixed")
    run = CliRunner().invoke(main, ["brief", str(tmp_path / "mixed"), "--format", "json", "--words", "60"],
                             env={"NEWSWEAVE_STORY_MODEL": "lexical"})
    assert run.exit_code == 0, run.output
    data = json.loads(run.stdout)
    assert len(data["stories"]) == 3
    titles = {key: {t for _, _, t, _ in arts} for key, arts in STORIES.items()}
    for b in data["stories"]:
        got = {s["title"] for s in b["sources"]}
        assert any(got == t for t in titles.values()), got  # exactly one story's articles
        assert b["story_id"]
    assert len(where) == sum(len(b["sources"]) for b in data["stories"])
    # --story picks one; a single story is a plain briefing object.
    sid = data["stories"][0]["story_id"]
    one = CliRunner().invoke(main, ["brief", str(tmp_path / "mixed"), "--format", "json", "--story", sid],
                             env={"NEWSWEAVE_STORY_MODEL": "lexical"})
    assert one.exit_code == 0, one.output
    assert json.loads(one.stdout)["story_id"] == sid and "stories" not in json.loads(one.stdout)
    bad = CliRunner().invoke(main, ["brief", str(tmp_path / "mixed"), "--story", "nope"],
                             env={"NEWSWEAVE_STORY_MODEL": "lexical"})
    assert bad.exit_code == 2 and sid in bad.output
    md = CliRunner().invoke(main, ["brief", str(tmp_path / "mixed"), "--words", "40"],
                            env={"NEWSWEAVE_STORY_MODEL": "lexical"})
    assert md.exit_code == 0 and md.stdout.startswith("# 3 stories")


def test_one_story_stays_one_plain_briefing(tmp_path: Path) -> None:
    write_folder(tmp_path / "one", {"fire": FIRE})
    run = CliRunner().invoke(main, ["brief", str(tmp_path / "one"), "--format", "json", "--words", "40"],
                             env={"NEWSWEAVE_STORY_MODEL": "lexical"})
    assert run.exit_code == 0, run.output
    data = json.loads(run.stdout)
    assert "stories" not in data and len(data["sources"]) == 2


def test_analysis_cache_round_trip_and_reuse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: Backend) -> None:
    arts = [Article(t, id=f"b{n}", title=ti, source=o, published=d) for n, (o, d, ti, t) in enumerate(BRIDGE)]
    calls: list[int] = []
    import newsweave.analyze as analyze_mod

    real = analyze_mod.analyze_many

    def counting(articles, **kw):  # type: ignore[no-untyped-def]
        items = list(articles)
        calls.append(len(items))
        return real(items, **kw)

    monkeypatch.setattr(analyze_mod, "analyze_many", counting)
    with open_store(backend.db(tmp_path)) as s:
        s.add(arts)
        assign_pending(s, model="lexical")
        sid = s.story_of("b0")
        assert sid
        first = brief_story(s, sid, Settings(words=60))
        second = brief_story(s, sid, Settings(words=60))
        assert calls == [3]  # the second briefing analysed nothing
        assert [x.text for x in first.summary] == [x.text for x in second.summary]
        # A new analyser version invalidates the cache.
        monkeypatch.setattr("newsweave.stories.briefs.analyser_version", lambda: "another-version")
        brief_story(s, sid, Settings(words=60))
        assert calls == [3, 3]
        rows = backend.sql(s, "SELECT DISTINCT version FROM analyses")
        assert rows == [("another-version",)]
        an = next(iter(real([arts[0]])))
        assert analysis_from_json(arts[0], analysis_to_json(an)) == an


def _cite(aid: str) -> Citation:
    return Citation(aid, 0, 0, 5)


def test_what_changed_matches_by_content_and_cites_new_articles() -> None:
    old = Briefing(
        "t", (), (),
        corroborated=(Fact(1, "The Ansel Bridge collapsed into the river on Tuesday.", (_cite("a"),), ("a",)),),
        figures=(LedgerEntry("people killed", (("12 people killed", None, _cite("a")),)),),
        speakers=(SpeakerQuotes("Ilse Braun", "mayor", (Claim("the bridge was inspected in March", (_cite("a"),), True),)),),
    )  # fmt: skip
    new = Briefing(
        "t", (), (),
        corroborated=(
            Fact(7, "The Ansel bridge collapsed into the river on Tuesday morning.", (_cite("a"), _cite("b")), ("a", "b")),
            Fact(8, "The council ordered checks of every bridge over the Tressa.", (_cite("b"),), ("b",)),
        ),
        figures=(LedgerEntry("people killed", (("12 people killed", None, _cite("a")), ("15 people killed", None, _cite("b")))),),
        disputes=(Dispute("denial", "inspection", (("The firm denied that it skipped checks.", (_cite("b"),)),)),),
        speakers=(
            SpeakerQuotes("Ilse Braun", "mayor", (Claim("the bridge was inspected in March", (_cite("a"),), True),
                                                  Claim("the cracks should have closed it at once", (_cite("b"),), True))),
            SpeakerQuotes("Anja Roth", None, (Claim("we saw the span fall", (_cite("b"),), True),)),
        ),
    )  # fmt: skip
    ch = what_changed(old, new, "2025-05-06", ["b"])
    assert [f.text for f in ch.facts] == ["The council ordered checks of every bridge over the Tressa."]
    assert len(ch.figures) == 1 and ch.figures[0].after[0][0] == "15 people killed"
    assert ch.figures[0].before[0][0] == "12 people killed"
    assert len(ch.disputes) == 1
    assert {s.speaker: len(s.quotes) for s in ch.speakers} == {"Ilse Braun": 1, "Anja Roth": 1}


def test_brief_since_last_reports_what_the_new_article_added(tmp_path: Path) -> None:
    db = str(tmp_path / "u.db")
    first = tmp_path / "first.jsonl"
    rows = [{"id": f"b{n}", "source": o, "published": d, "title": t, "text": x}
            for n, (o, d, t, x) in enumerate(BRIDGE)]
    first.write_text("".join(json.dumps(r) + "\n" for r in rows[:2]), encoding="utf-8")
    env = {"NEWSWEAVE_STORY_MODEL": "lexical"}
    assert CliRunner().invoke(main, ["add", str(first), "--db", db], env=env).exit_code == 0
    sid = json.loads(CliRunner().invoke(main, ["stories", "--db", db, "--json"], env=env).stdout)["b0"]
    run = CliRunner().invoke(main, ["brief", "--db", db, "--story", sid, "--format", "json", "--words", "50"], env=env)
    assert run.exit_code == 0, run.output
    second = tmp_path / "second.jsonl"
    second.write_text(json.dumps(rows[2]) + "\n", encoding="utf-8")
    assert CliRunner().invoke(main, ["add", str(second), "--db", db], env=env).exit_code == 0
    run = CliRunner().invoke(main, ["brief", "--db", db, "--story", sid, "--since", "last", "--format", "json"],
                             env=env)
    assert run.exit_code == 0, run.output
    data = json.loads(run.stdout)
    ch = data["changes"]
    assert ch["new_articles"] == ["b2"]
    try:
        import jsonschema

        from newsweave.render.json import schema

        jsonschema.validate(data, schema())  # 'changes' and 'story_id' are documented
    except ImportError:
        pass
    cited = {c["article_id"] for f in ch["facts"] for c in f["citations"]}
    assert ch["facts"] and "b2" in cited
    md = CliRunner().invoke(main, ["brief", "--db", db, "--story", sid, "--since", "2025-05-06"], env=env)
    assert md.exit_code == 0 and "## What changed since 2025-05-06" in md.stdout
    bad = CliRunner().invoke(main, ["brief", "--db", db, "--story", sid, "--since", "yesterday"], env=env)
    assert bad.exit_code == 2 and "last" in bad.output
