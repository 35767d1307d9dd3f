"""A briefing of the right length: capped Markdown, folded HTML, complete JSON.

The briefings here are assembled from dataclasses around a fictional story
(a ferry strike in the port town of Velmora) so each importance order can be
checked exactly; the last tests measure the real pipeline's Markdown on our
example stories (and on the seed story when ``../shared/seeds`` is present).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from newsweave.models import (
    Article,
    Briefing,
    Citation,
    Claim,
    Dispute,
    Fact,
    LedgerEntry,
    LedgerFigure,
    SourceEntry,
    SpeakerQuotes,
    SummarySentence,
    TimelineEvent,
)
from newsweave.render.caps import DEFAULT_CAPS, NO_CAPS, Caps, select
from newsweave.render.html import to_html
from newsweave.render.json import to_dict
from newsweave.render.markdown import to_markdown

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"

# Five articles: 1 and 2 are one wire text (one independent report), 3-5 are independent.
ARTICLES = tuple(
    Article(" ".join(f"Sentence {k} of report {n} about the Velmora ferry strike." for k in range(40)),
            id=f"a{n}", source=f"Outlet {n}")
    for n in range(1, 6)
)
SOURCES = tuple(
    SourceEntry(n, f"a{n}", f"Outlet {n}", None, f"2025-05-0{n}", None, None, group=1 if n <= 2 else n)
    for n in range(1, 6)
)


def cite(n: int, k: int) -> Citation:
    """Article n, sentence k."""
    return Citation(f"a{n}", k, 0, 10)


def fact(i: int, *arts: int, k: int | None = None) -> Fact:
    return Fact(i, f"Fact {i} about the ferries.", tuple(cite(n, i if k is None else k) for n in arts),
                tuple(f"a{n}" for n in arts), len({1 if n <= 2 else n for n in arts}), score=100.0 - i)


def speaker(name: str, claims: list[tuple[str, list[int], str]], kind: str = "person") -> SpeakerQuotes:
    cl = tuple(Claim(text, tuple(cite(n, 30 + j) for n in arts), stance=stance)  # type: ignore[arg-type]
               for j, (text, arts, stance) in enumerate(claims))
    return SpeakerQuotes(name, None, cl, tuple(f"Outlet {n}" for n in sorted({n for _, a, _ in claims for n in a})),
                         kind=kind)


def row(text: str, arts: list[int], by: str) -> LedgerFigure:
    return LedgerFigure(text, 1.0, 1.0, 1.0, by=by, citations=tuple(cite(n, 20) for n in arts))


def briefing() -> Briefing:
    speakers = (
        # quoted by the two wire copies only: one independent report, many claims
        speaker("Wire Favourite", [(f"wire claim {j}", [1, 2], "asserts") for j in range(6)]),
        speaker("Mara Lind", [("said the ferries would sail", [3], "asserts"),
                              ("said crews were paid late", [3, 4], "asserts"),
                              ("denied that any ferry sailed unsafely", [5], "denies")]),
        speaker("a harbour source", [("said talks stalled", [3], "asserts"), ("said talks resumed", [4], "asserts")],
                kind="anonymous"),
        speaker("Tomas Brek", [("said the strike was lawful", [3], "asserts"), ("said nothing more", [4], "asserts")]),
        *(speaker(f"Speaker {i}", [(f"minor claim {i}", [5], "asserts")]) for i in range(8)),
    )
    ledger = (
        LedgerEntry("passengers stranded", (), "conflict",
                    figures=(row("400 passengers", [3], "union"), row("120 passengers", [4], "operator"),
                             row("about 300", [5], "police"))),
        LedgerEntry("sailings cancelled", (), "updated", figures=(row("12 sailings", [3], "operator"),
                                                                    row("18 sailings", [4], "operator"))),
        LedgerEntry("crew on strike", (), "corroborated", figures=(row("90 crew", [3, 4], "union"),)),
        *(LedgerEntry(f"thing {i}", (), "single", figures=(row(f"{i} things", [5], "police"),)) for i in range(10)),
    )
    timeline = tuple(
        TimelineEvent(f"2025-05-0{1 + i // 3}", f"Event {i} on the quays.",
                      tuple(cite(n, 10 + i) for n in ([3, 4, 5] if i in (1, 2) else [3])))
        for i in range(9)
    )
    single = (fact(11, 3), fact(12, 3), fact(13, 3), fact(14, 4), fact(15, 5), fact(16, 5))
    cov = {"Outlet 3": (fact(11, 3), fact(21, 3), fact(22, 3)), "Outlet 5": (fact(15, 5), fact(23, 5))}
    return Briefing(
        "Velmora ferry strike", SOURCES,
        (SummarySentence("Ferry crews struck.", (cite(3, 0), cite(4, 0))),),
        articles=ARTICLES, timeline=timeline, speakers=speakers, figures=ledger,
        disputes=tuple(Dispute("denial", f"topic {i}", (("side a", (cite(3, 25 + i),)), ("side b", (cite(4, 25),))))
                       for i in range(6)),
        corroborated=tuple(fact(i, 3, 4) for i in range(1, 8)),
        single_source=single, coverage=cov,
    )


def test_speakers_by_independent_reports_then_claims_and_denials_first():
    sel = select(briefing())
    names = [sp.speaker for sp in sel.speakers.shown_items]
    # Mara Lind: three reports; the wire favourite's six claims come from one report only
    assert names[0] == "Mara Lind"
    assert names.index("Tomas Brek") < names.index("a harbour source")  # named before anonymous
    assert "Wire Favourite" in names and len(names) == DEFAULT_CAPS.speakers
    lind = sel.claims_of(sel.speakers.shown[0])
    texts = [c.text for c in lind.shown_items]
    assert "denied that any ferry sailed unsafely" in texts  # a denial is never the one left out
    assert texts == sorted(texts, key=[c.text for c in lind.items].index)  # shown in the speaker's order
    assert lind.hidden == 1


def test_ledger_keeps_conflicts_whole_and_fills_by_rows():
    sel = select(briefing(), Caps(figure_rows=4))
    shown = sel.figures.shown_items
    assert [e.status for e in shown] == ["conflict", "corroborated"]  # 3 rows + 1; the 2-row update does not fit
    assert sel.figures.hidden == len(briefing().figures) - 2
    # a conflict larger than the cap is still shown whole, both sides cited
    assert len(select(briefing(), Caps(figure_rows=1)).figures.shown_items[0].figures) == 3


def test_timeline_highlights_are_best_supported_spread_over_days_in_date_order():
    b = briefing()
    sel = select(b, Caps(timeline=4))
    shown = sel.timeline.shown
    assert list(shown) == sorted(shown)  # date order
    assert {1, 2} <= set(shown)  # the two events three reports state
    assert len({b.timeline[i].date for i in shown}) == 3  # and the other days get one each


def test_single_source_spread_and_coverage_shows_only_what_is_new():
    b = briefing()
    sel = select(b, Caps(single_source=3, single_per_article=2, coverage=2))
    assert [f.id for f in sel.single_source.shown_items] == [11, 12, 14]  # at most two from article 3
    # fact 11 is already in the single-source list and fact 15 is not: coverage skips the one shown
    assert [f.id for f in sel.coverage["Outlet 3"].shown_items] == [21, 22]
    assert [f.id for f in sel.coverage["Outlet 5"].shown_items] == [15, 23]


def test_markdown_counts_what_it_leaves_out_and_keeps_citations():
    b = briefing()
    md = to_markdown(b)
    sel = select(b)
    assert f"and {sel.speakers.hidden} more speakers" in md
    assert f"and {sel.timeline.hidden} more events" in md
    assert f"and {sel.corroborated.hidden} more facts" in md
    assert "HTML and JSON briefings" in md
    assert "Speaker 7" not in md
    for line in md.splitlines():  # every shown item keeps its marks
        if line.startswith(("- Fact", "  - said", "  - denied", "- **Mon", "- **Tue")):
            assert re.search(r"\[\d\]$|\[\d\]( _\(|$)", line), line
    full = to_markdown(b, NO_CAPS)
    assert "Speaker 7" in full and "more speakers" not in full and "HTML and JSON" not in full
    assert len(full.split()) > len(md.split())


def test_html_folds_the_rest_and_drops_nothing():
    b = briefing()
    page = to_html(b)
    assert page.count('<details class="sec" open>') == 7  # every section folds (notes is empty)
    assert '<details class="more" open' not in page and '<details class="more">' in page
    for sp in b.speakers:
        assert f"<h3>{sp.speaker}</h3>" in page
        for cl in sp.quotes:
            assert cl.text in page
    for f in (*b.corroborated, *b.single_source):
        assert f.text in page
    assert page.count('<tbody class=') == len(b.figures)
    assert all(f'id="t-{i}"' in page for i in range(1, len(b.timeline) + 1))


def test_json_is_never_capped():
    b = briefing()
    d = to_dict(b)
    assert len(d["speakers"]) == len(b.speakers)
    assert len(d["single_source"]) == len(b.single_source)
    assert len(d["corroborated"]) == len(b.corroborated)
    assert sum(len(v) for v in json.loads(json.dumps(d["coverage"])).values()) == 5


def _stories() -> list[Path]:
    found = sorted(p for p in (ROOT / "examples").iterdir() if p.is_dir())
    return found + ([SEEDS] if SEEDS.is_dir() else [])


@pytest.mark.slow
@pytest.mark.parametrize("folder", _stories(), ids=lambda p: p.name)
def test_default_markdown_reads_in_three_minutes(folder: Path):
    from newsweave.ingest import read_inputs
    from newsweave.synthesize.briefing import build_briefing

    arts = [a for a in read_inputs([str(folder)]) if isinstance(a, Article)]
    b = build_briefing(arts)
    md = to_markdown(b)
    assert len(md.split()) < 1500
    # nothing the pipeline found is lost: the JSON has it all
    assert len(to_dict(b)["speakers"]) == len(b.speakers)


def test_word_budget_lowers_the_least_important_caps_first():
    from dataclasses import replace

    from newsweave.render.caps import budget, fit

    b = briefing()
    assert budget(b) == min(DEFAULT_CAPS.words or 0, int(0.7 * sum(len(a.text.split()) for a in b.articles)))
    short = replace(b, articles=tuple(replace(a, text="Crews struck at dawn.") for a in b.articles))
    assert budget(short) == DEFAULT_CAPS.min_words
    # one item less per step: coverage goes first, disputes last
    steps = []
    fitted = fit(short, DEFAULT_CAPS, lambda c: steps.append(c) or 10_000)
    assert steps[1].coverage_outlets == 2 and steps[1].disputes == 4
    assert fitted.disputes == 2 and fitted.coverage_outlets == 0 and fitted.timeline == 3  # the floors
    caps = Caps(min_words=400)
    md, full = to_markdown(short, caps), to_markdown(b, caps)
    assert len(md.split()) <= 400 < len(full.split())
    assert "Mara Lind" in md  # the most important speaker survives any budget
    assert "Speaker 0" in to_markdown(short, NO_CAPS)  # no caps, no budget
