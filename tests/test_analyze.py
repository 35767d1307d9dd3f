"""The analysis orchestrator: streaming, order, offsets, the degraded path, bad input, executors.

Texts are fictional (the Marrowick port strike).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import replace

import pytest

import newsweave.analyze as analyze_mod
from newsweave.analyze import analysis_json, analyze, analyze_many, nlp_components
from newsweave.analyze import nlp as nlp_mod
from newsweave.models import Article
from newsweave.run.local import chunked, imap_chunks, worker_count

STORY = (
    "date 2025-03-04 Dockers in Marrowick walked out on Monday, stranding more than 40 ships.\n"
    "\"We will not move a single crate,\" said Ines Varga, a crane driver and union steward.\n"
    "The Marrowick Port Authority said at least 300 dockers, including 25 pilots, had joined the strike. "
    "It estimated the loss at $2 million a day.\n"
    "Talks resumed on Tuesday, according to the harbour master, Tomas Brill."
)


def _articles(n: int, pulled: list[int]) -> Iterator[Article]:
    for i in range(n):
        pulled.append(i)
        yield Article(f"Report {i}: about {i + 2} ferries sailed from Carrow, the harbour master said.",
                      path=f"gen/{i}.txt")


def _check_offsets(an) -> None:  # type: ignore[no-untyped-def]
    text = an.article.text
    for s in an.sentences:
        assert text[s.start:s.end] == s.text
    for f in an.figures:
        assert text[f.start:f.end] == f.text
    for t in an.timexes:
        assert text[t.start:t.end] == t.text
    for q in an.quotes:
        assert 0 <= q.content[0] <= q.content[1] <= len(text)


def test_streams_a_generator_lazily_and_in_order() -> None:
    pulled: list[int] = []
    it = analyze_many(_articles(30, pulled), batch_size=4, strict=True)
    first = next(it)
    assert len(pulled) < 30  # the input is read batch by batch, not all at once
    assert first.article.path == "gen/0.txt"
    rest = list(it)
    assert [a.article.path for a in [first, *rest]] == [f"gen/{i}.txt" for i in range(30)]
    assert [a.figures[0].value for a in [first, *rest]] == [i + 2 for i in range(30)]


@pytest.mark.skipif(not nlp_mod.nlp_available(), reason="no spaCy")
def test_a_long_stream_does_not_grow_spacys_vocabulary() -> None:
    nlp = nlp_mod.get_nlp(nlp_components())
    list(analyze_many(_articles(2, []), strict=True))  # warm: the pipeline's own strings
    before = len(nlp.vocab.strings)
    novel = (Article(f"Skipper Qzx{i}vorn said {i + 3} zorblats{i} sailed.") for i in range(40))
    out = list(analyze_many(novel, batch_size=4, strict=True))
    assert len(out) == 40 and out[7].figures[0].value == 10
    assert len(nlp.vocab.strings) - before < 20  # the new words were freed with their memory zone


def test_progress_counts_every_article() -> None:
    seen: list[int] = []
    list(analyze_many(_articles(5, []), batch_size=2, progress=seen.append, strict=True))
    assert sum(seen) == 5


def test_analyze_one_article_everything_with_offsets() -> None:
    art = Article(STORY, published="2025-03-04", path="story.txt")
    an = analyze(art, strict=True)
    _check_offsets(an)
    assert len(an.sentences) >= 5
    values = [(f.value, f.counted) for f in an.figures]
    assert (40, "ships") in values and (300, "dockers") in values and (25, "pilots") in values
    by_value = {f.value: f for f in an.figures}
    assert by_value[25].parent == an.figures.index(by_value[300])
    assert "Port Authority" in (by_value[300].attribution or "")
    if analyze_mod._stages().timexes is not None:
        assert any(t.text == "Monday" for t in an.timexes)
    data = analysis_json(an)
    json.dumps(data)
    assert {"sentences", "entities", "quotes", "figures", "dates", "notes"} <= set(data)
    assert data["figures"][0]["start"] == an.figures[0].start


def test_nlp_components_cover_every_stage() -> None:
    comps = nlp_components()
    assert {"tok2vec", "tagger"} <= set(comps)
    assert list(comps) == [c for c in nlp_mod.ALL_COMPONENTS if c in comps]


def test_degraded_path_without_spacy(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(nlp_mod, "nlp_available", lambda: False)
    monkeypatch.setattr(nlp_mod, "_warned", False)

    def no_spacy(*a: object, **k: object) -> None:
        raise AssertionError("spaCy must not be loaded on the degraded path")

    monkeypatch.setattr(nlp_mod, "get_nlp", no_spacy)
    with caplog.at_level(logging.WARNING):
        first = list(analyze_many([Article(STORY, published="2025-03-04")], strict=True))
        second = list(analyze_many(_articles(3, []), strict=True))
    notes = [r for r in caplog.records if "spaCy is not installed" in r.getMessage()]
    assert len(notes) == 1  # said once, however many batches
    an = first[0]
    _check_offsets(an)
    assert {(f.value, f.counted) for f in an.figures} >= {(40, "ships"), (300, "dockers"), (25, "pilots")}
    assert len(second) == 3 and all(a.figures for a in second)
    assert analysis_json(an)["notes"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n",
        ("lorem ipsum dolor sit amet " * 4000)[:100_000],
        'The steward said "we will stay out until the end.\nNobody answered her.',
        "Die Hafenarbeiter streikten am Montag. Mehr als 300 Schiffe warten. 港口工人周一罢工。",
        "The vote is on 2/3 and the result 3/4.",
    ],
    ids=["empty", "blank", "one-100k-line", "unbalanced-quotes", "non-english", "slash-dates"],
)
def test_bad_input_never_crashes(text: str) -> None:
    an = analyze(Article(text), strict=True)
    _check_offsets(an)
    if not text.strip():
        assert an.figures == () and an.quotes == () and an.timexes == ()
    if "2/3" in text:
        assert an.figures == ()
    if "lorem" in text:
        assert an.figures == () and an.quotes == ()
    if "Hafen" in text:
        assert [f.value for f in an.figures] == [300]


def test_a_failing_stage_is_logged_and_the_batch_goes_on(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def boom(*a: object, **k: object) -> None:
        raise RuntimeError("stage exploded")

    stages = analyze_mod._stages()
    monkeypatch.setattr(analyze_mod, "_stages", lambda: replace(stages, figures=boom))
    with caplog.at_level(logging.WARNING):
        out = list(analyze_many(_articles(2, []), strict=False))
    assert len(out) == 2 and all(a.figures == () and a.sentences for a in out)
    assert any("figures stage failed" in r.getMessage() and "gen/0.txt" in r.getMessage() for r in caplog.records)
    with pytest.raises(RuntimeError):
        list(analyze_many(_articles(1, []), strict=True))


def test_reference_dates_reach_the_dates_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str | None] = []

    def fake_timexes(text: str, ref: str | None, **kw: object) -> list:  # type: ignore[type-arg]
        seen.append(ref)
        return []

    stages = analyze_mod._stages()
    monkeypatch.setattr(analyze_mod, "_stages", lambda: replace(stages, timexes=fake_timexes))
    dated = Article("Ships sailed on Monday.", published="2025-03-04")
    undated = Article("Ships sailed on Tuesday.")
    list(analyze_many([dated, undated], reference_dates={undated.id: "2025-03-05"}, strict=True))
    assert seen == ["2025-03-04", "2025-03-05"]


def test_batch_size_is_checked() -> None:
    with pytest.raises(ValueError, match="batch_size"):
        list(analyze_many([], batch_size=0))


def test_chunked_and_inline_executor() -> None:
    assert list(chunked(iter(range(7)), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    with pytest.raises(ValueError):
        list(chunked([1], 0))
    assert list(imap_chunks(sorted, [[3, 1], [2]], n_process=1)) == [[1, 3], [2]]
    assert worker_count(1) == 1 and worker_count(0) >= 1


@pytest.mark.slow
def test_worker_processes_give_the_same_result_in_order() -> None:
    serial = [a.figures for a in analyze_many(_articles(6, []), batch_size=2)]
    parallel = list(analyze_many(_articles(6, []), batch_size=2, n_process=2))
    assert [a.article.path for a in parallel] == [f"gen/{i}.txt" for i in range(6)]
    assert [a.figures for a in parallel] == serial
