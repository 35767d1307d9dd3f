"""The cited extractive summary: budget, citations, standalone sentences, determinism.

Every story here is fictional text we wrote (Port Vell dock strike).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from newsweave.analyze.sentences import split_sentences
from newsweave.models import Article
from newsweave.synthesize.clauses import needs_antecedent
from newsweave.synthesize.summary import plain_summary, summarize

from .conftest import make_story

WIRE = (
    "Dock workers in Port Vell walked off the job on Monday, halting cargo traffic at the harbor. "
    "The Harbor Union said 1,200 members joined the strike after talks on pay collapsed. "
    "Union leader Mara Quist said the strike would last until wages rise by 8 percent. "
    "She said the port authority had refused every offer since January."
)
DAILY = (
    "A strike by 1,200 dock workers shut the port of Port Vell on Monday. "
    "Talks between the Harbor Union and the port authority broke down over pay, officials said. "
    "The port authority said it had offered a 4 percent raise and called the strike unlawful. "
    "Shipping lines began diverting vessels to Camber Bay."
)
GAZETTE = (
    "Port Vell's harbor fell silent on Monday as dock workers began a strike over pay. "
    "Container ships queued outside the breakwater by evening. "
    "The port authority called the walkout unlawful and said it would seek a court order. "
    "Fishermen said the quays had not been so quiet since the storm of 2019."
)


def _story(*texts: str) -> tuple[list[Article], dict[str, tuple]]:
    arts = make_story(*texts)
    return arts, {a.id: split_sentences(a) for a in arts}


def _words(summary) -> int:  # type: ignore[no-untyped-def]
    return sum(len(s.text.split()) for s in summary)


def test_empty_input() -> None:
    assert summarize([], {}, 50) == ()
    assert plain_summary([], {}, 50) == ""
    arts, sents = _story(WIRE)
    assert summarize(arts, sents, 0) == ()


def test_one_sentence() -> None:
    arts, sents = _story("Dock workers in Port Vell went on strike on Monday.")
    out = summarize(arts, sents, 50)
    assert [s.text for s in out] == ["Dock workers in Port Vell went on strike on Monday."]
    cite = out[0].citations[0]
    assert arts[0].text[cite.start : cite.end] == out[0].text


@pytest.mark.parametrize("budget", [1, 3, 7, 12, 25, 40, 60, 500])
def test_budget_respected_and_no_sentence_cut_mid_clause(budget: int) -> None:
    arts, sents = _story(WIRE, DAILY, GAZETTE)
    out = summarize(arts, sents, budget)
    assert _words(out) <= budget
    plain = plain_summary(arts, sents, budget)
    assert len(plain.split()) <= budget
    assert "[" not in plain and "…" not in plain and "..." not in plain
    by_id = {a.id: a for a in arts}
    for s in out:
        # Every sentence is a whole source sentence, or one cut at a clause
        # boundary and closed with a full stop: never "…".
        assert s.text.endswith((".", "!", "?", '."', ".”'")), s.text
        own = s.citations[0]
        source = by_id[own.article_id].text[own.start : own.end]
        assert s.text in (source, source + "."), (s.text, source)
    if 25 <= budget <= 60:
        assert _words(out) >= budget - 15  # the budget is used, not left half empty


def test_clause_trim_closes_the_last_sentence() -> None:
    text = (
        "Dock workers in Port Vell walked off the job on Monday, and the port authority said "
        "14 ships were waiting outside the breakwater by evening."
    )
    arts, sents = _story(text)
    out = summarize(arts, sents, 12)
    assert [s.text for s in out] == ["Dock workers in Port Vell walked off the job on Monday."]


def test_wire_dateline_is_dropped() -> None:
    text = (
        "PORT VELL, March 3 (HNA) - Dock workers in Port Vell walked off the job on Monday.\n"
        "The Harbor Union said 1,200 members joined the strike.\n"
        "(Reporting by Harbor News Agency; editing by Ana Ruiz)\n"
    )
    arts, sents = _story(text)
    out = summarize(arts, sents, 100)
    assert out[0].text == "Dock workers in Port Vell walked off the job on Monday."
    c = out[0].citations[0]
    assert arts[0].text[c.start : c.end] == out[0].text
    assert all("Reporting by" not in s.text for s in out)


def test_citations_cover_all_supporting_articles_and_offsets_match() -> None:
    arts, sents = _story(WIRE, DAILY, GAZETTE)
    out = summarize(arts, sents, 40)
    by_id = {a.id: a for a in arts}
    assert out
    for s in out:
        for c in s.citations[1:]:
            art = by_id[c.article_id]
            assert art.text[c.start : c.end] == sents[c.article_id][c.sentence_index].text
        own = s.citations[0]
        source_text = by_id[own.article_id].text[own.start : own.end]
        assert s.text in (source_text, source_text + ".")
    # The strike itself is stated by all three outlets: whichever sentence the
    # summary uses for it must cite all three articles.
    strike = [s for s in out if "strike" in s.text.lower() and "Monday" in s.text]
    assert strike, [s.text for s in out]
    assert {c.article_id for c in strike[0].citations} == {a.id for a in arts}


def test_no_unresolved_pronoun_opening_when_avoidable() -> None:
    # The second article's strongest sentence starts with "He"; the summary
    # must open with a sentence that stands alone.
    a = (
        "Harbor pilot Ivo Renn said the strike had stranded 14 ships outside Port Vell. "
        "He said the backlog of ships outside Port Vell would take a week to clear once the strike ends."
    )
    b = (
        "He said the strike in Port Vell had stranded 14 ships and the backlog would take a week to clear. "
        "The strike in Port Vell began on Monday."
    )
    arts, sents = _story(a, b)
    for budget in (10, 20, 30, 60):
        out = summarize(arts, sents, budget)
        assert not needs_antecedent(out[0].text), (budget, [s.text for s in out])


def test_dependent_sentence_follows_its_antecedent() -> None:
    a = (
        "Union leader Mara Quist rejected the port authority's offer of a 4 percent raise on Tuesday. "
        "She said members would vote on Friday on whether to extend the strike."
    )
    arts, sents = _story(a)
    out = summarize(arts, sents, 200)
    texts = [s.text for s in out]
    assert texts[0].startswith("Union leader Mara Quist")
    assert texts.index(texts[0]) < next(i for i, t in enumerate(texts) if t.startswith("She said"))


def test_deterministic() -> None:
    arts, sents = _story(WIRE, DAILY, GAZETTE)
    first = summarize(arts, sents, 45)
    for _ in range(3):
        assert summarize(arts, sents, 45) == first
    assert plain_summary(arts, sents, 45) == plain_summary(arts, sents, 45)


def test_wire_copy_not_repeated() -> None:
    # Two outlets printing the same wire text: the summary says it once.
    arts, sents = _story(WIRE, WIRE.replace("Monday", "Monday"), GAZETTE)
    out = summarize(arts, sents, 60)
    texts = [s.text for s in out]
    assert len(texts) == len(set(texts))


def test_boilerplate_never_summarised() -> None:
    text = (
        "Dock workers in Port Vell went on strike on Monday over pay.\n"
        "READ MORE: Port Vell braces for a long dispute\n"
        "The Harbor Union said 1,200 members had joined the walkout.\n"
    )
    arts, sents = _story(text)
    out = summarize(arts, sents, 100)
    assert all("READ MORE" not in s.text for s in out)


def test_module_cli_prints_plain_summary(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "story.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for i, t in enumerate((WIRE, DAILY, GAZETTE)):
            f.write(json.dumps({"id": f"a{i}", "text": t, "source": f"Outlet {i}"}) + "\n")
    res = subprocess.run(
        [sys.executable, "-m", "newsweave.synthesize.summary", "--words", "30", str(path)],
        capture_output=True, text=True, check=True,
    )
    out = res.stdout.strip()
    assert 0 < len(out.split()) <= 30
    assert "[" not in out
