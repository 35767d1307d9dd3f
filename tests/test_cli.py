"""CLI: help everywhere, exit codes, and the commands end to end."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from newsweave.cli import main
from tests.conftest import EXAMPLE

COMMANDS = ["brief", "summarize", "add", "search", "analyze", "quotes", "dates", "figures", "serve"]

STORY_A = (
    "date 2025-03-04 Dockers at the port of Velmora walked out on Monday, halting all cargo traffic.\n\n"
    "The Velmora Dockworkers Union said 4,000 members joined the strike.\n\n"
    "\u201cWe will not go back until the contracts are signed,\u201d union leader Mara Ostrin said.\n"
)
STORY_B = (
    "date 2025-03-04 A strike by dockers shut the port of Velmora on Monday, stopping cargo traffic.\n\n"
    "The port authority said about 1,200 workers had stayed away.\n\n"
    "Port director Ilan Varga denied that the contracts had been cancelled.\n"
)


@pytest.fixture
def story(tmp_path):
    d = tmp_path / "story"
    d.mkdir()
    (d / "a.txt").write_text(STORY_A, encoding="utf-8")
    (d / "b.txt").write_text(STORY_B, encoding="utf-8")
    return d


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_top_help_lists_every_command_with_an_example():
    out = run("--help").output
    for c in COMMANDS:
        assert c in out
    assert "Examples:" in out


@pytest.mark.parametrize("cmd", COMMANDS)
def test_each_command_help_ends_with_an_example(cmd):
    res = run(cmd, "--help")
    assert res.exit_code == 0
    assert "Example:" in res.output
    assert f"newsweave {cmd}" in res.output.split("Example:")[-1]


def test_brief_without_inputs_is_a_usage_error():
    res = run("brief")
    assert res.exit_code == 2
    assert "give INPUT" in res.output


def test_bad_format_is_a_usage_error(story):
    assert run("brief", str(story), "--format", "pdf").exit_code == 2


def test_brief_markdown_cites_both_outlets(story):
    res = run("brief", str(story), "--words", "60")
    assert res.exit_code == 0, res.output
    assert "[1]" in res.output and "[2]" in res.output


def test_one_broken_file_exits_1_and_the_rest_is_briefed(story):
    (story / "broken.txt").write_bytes(b"\x00\x01\x02binary")
    res = CliRunner().invoke(main, ["brief", str(story), "--format", "json"])
    assert res.exit_code == 1
    assert "broken.txt" in res.stderr
    data = json.loads(res.stdout)
    assert len(data["sources"]) == 2


def test_only_broken_inputs_exit_1_with_nothing_briefed(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_text("", encoding="utf-8")
    res = CliRunner().invoke(main, ["brief", str(p)])
    assert res.exit_code == 1
    assert "empty" in res.stderr


def test_summarize_respects_word_budget_and_has_no_citation_marks(story):
    res = run("summarize", str(story), "--words", "25")
    assert res.exit_code == 0
    words = res.output.split()
    assert 0 < len(words) <= 25
    assert "[1]" not in res.output


def test_add_is_idempotent_and_search_finds(story, tmp_path):
    db = str(tmp_path / "n.db")
    first = run("add", str(story), "--db", db, "--json")
    assert json.loads(first.stdout)["added"] == 2
    again = run("add", str(story), "--db", db, "--json")
    got = json.loads(again.stdout) | {"db": ""}
    assert {k: got[k] for k in ("added", "already_stored", "failed", "db")} == {
        "added": 0, "already_stored": 2, "failed": 0, "db": ""}
    assert got["stories_new"] == 0  # fields are added, never renamed
    hits = run("search", "Ostrin", "--db", db, "--json")
    found = json.loads(hits.stdout)
    assert len(found) == 1
    assert "Ostrin" in found[0]["snippet"]


def test_brief_from_the_database(story, tmp_path):
    db = str(tmp_path / "n.db")
    run("add", str(story), "--db", db)
    res = run("brief", "--db", db, "--query", "dockers", "--format", "json")
    assert res.exit_code == 0
    assert len(json.loads(res.stdout)["sources"]) == 2


def test_quotes_json_contract(story):
    res = run("quotes", str(story / "a.txt"), "--json")
    data = json.loads(res.stdout)
    text = STORY_A
    assert any(
        text[q["content"][0] : q["content"][1]].strip("\u201c\u201d\" ").startswith("We will not go back")
        and q["speaker"] == "Mara Ostrin"
        for q in data
    )
    for q in data:
        assert set(q) >= {"content", "source", "cue", "speaker"}


def test_dates_json_contract(story):
    res = run("dates", str(story / "a.txt"), "--reference-date", "2025-03-05", "--json")
    data = json.loads(res.stdout)
    monday = [d for d in data if d["text"] == "Monday"]
    assert monday and monday[0]["value"] == "2025-03-03" and monday[0]["type"] == "DATE"
    for d in data:
        assert STORY_A[d["start"]:d["end"]] == d["text"]


def test_dates_rejects_bad_reference_date(story):
    assert run("dates", str(story / "a.txt"), "--reference-date", "14/12/2016").exit_code == 2


def test_missing_file_for_quotes_exits_1(tmp_path):
    res = CliRunner().invoke(main, ["quotes", str(tmp_path / "nope.txt"), "--json"])
    assert res.exit_code == 1


def test_entry_point_runs_as_a_real_process():
    res = subprocess.run([sys.executable, "-m", "newsweave.cli", "--help"], capture_output=True, text=True)
    assert res.returncode == 0 and "brief" in res.stdout


@pytest.mark.skipif(not EXAMPLE.is_dir(), reason="example story not written yet")
def test_example_story_briefs_in_html(tmp_path):
    out = tmp_path / "b.html"
    res = run("brief", str(EXAMPLE), "--format", "html", "-o", str(out))
    assert res.exit_code == 0
    assert out.read_text("utf-8").lstrip().lower().startswith("<!doctype html")


def test_analyze_with_workers_gives_the_same_json_as_in_process(story):
    one = run("analyze", str(story), "--json")
    two = run("analyze", str(story), "--json", "--workers", "2")
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout
    assert len(one.stdout.splitlines()) == 2
