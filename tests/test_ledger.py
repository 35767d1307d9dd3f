"""Figures ledger: grouping by what is counted, corroborated and conflicting figures."""

from __future__ import annotations

import math

from newsweave.analyze.sentences import split_sentences
from newsweave.models import Analysis, Article, Figure, SourceEntry
from newsweave.synthesize.ledger import event_of, figure_interval, figures_ledger


def _analysis(aid: str, text: str, figs: list[dict]) -> Analysis:
    """figs: dicts with 'text' (found in the article) and Figure fields."""
    art = Article(text, id=aid)
    sents = split_sentences(art)
    out = []
    for f in figs:
        f = dict(f)
        phrase = f.pop("text")
        i = text.index(phrase)
        si = next(s.index for s in sents if s.start <= i < s.end)
        out.append(Figure(i, i + len(phrase), phrase, article_id=aid, sentence_index=si, **f))
    return Analysis(art, sents, figures=tuple(out))


SRC = [SourceEntry(n, aid, outlet, None, None, None, None, group=n)
       for n, (aid, outlet) in enumerate([("a", "Harbor Wire"), ("b", "Dock News"), ("c", "Valley Courier")], 1)]

A = _analysis("a", (
    "The river authority said at least 14 people were killed when the levee broke in Velmora.\n\n"
    "Officials said 300 residents were evacuated from the lower town by boat.\n\n"
    "The flood swamped 12 buses parked at the depot.\n"
), [
    dict(text="at least 14 people", value=14, qualifier="at least", counted="people",
         attribution="the river authority"),
    dict(text="300 residents", value=300, counted="residents", attribution="officials"),
    dict(text="12 buses", value=12, counted="buses"),
])
B = _analysis("b", (
    "Fourteen people died when the levee broke in Velmora, the river authority said.\n\n"
    "Rescuers said about 2,000 residents were evacuated from the lower town by boat.\n\n"
    "Local doctors said 3 people were wounded by falling debris.\n"
), [
    dict(text="Fourteen people", value=14, counted="people", attribution="the river authority"),
    dict(text="about 2,000 residents", value=2000, qualifier="about", counted="residents",
         attribution="rescuers"),
    dict(text="3 people", value=3, counted="people", attribution="local doctors"),
])
C = _analysis("c", (
    "At least 20 people were killed in the Velmora flood, a hospital source said.\n\n"
    "The levee broke after 14 civilians were killed, according to the mayor's office.\n"
), [
    dict(text="At least 20 people", value=20, qualifier="at least", counted="people",
         attribution="a hospital source"),
    dict(text="14 civilians", value=14, counted="civilians", attribution="the mayor's office"),
])


def _entry(ledger, word: str, event: str):
    return next(e for e in ledger if word in e.counted and event in e.counted)


def test_empty():
    assert figures_ledger([], []) == ()


def test_same_value_from_two_outlets_is_corroborated_and_related_counts_merge():
    ledger = figures_ledger([A, B, C], SRC)
    killed = _entry(ledger, "people", "killed")
    assert killed.status == "corroborated"
    texts = [v[0] for v in killed.values]
    assert "Fourteen people" in texts and "at least 14 people" in texts
    # "14 civilians" joins "14 people": reporters swap the words for one count.
    assert "14 civilians" in texts
    # "At least 20 people killed in the flood" shares too few words with the others to be
    # taken for the same count: it stands alone rather than corroborating 14.
    assert "At least 20 people" not in texts


def test_different_values_for_the_same_quantity_conflict_with_both_parties():
    ledger = figures_ledger([A, B, C], SRC)
    evac = _entry(ledger, "residents", "evacuated")
    assert evac.status == "conflicting"
    assert [(v[0], v[1]) for v in evac.values] == [
        ("300 residents", "officials"),
        ("about 2,000 residents", "rescuers"),
    ]
    assert evac.values[0][2].article_id == "a"
    assert ledger[0].status == "conflicting"  # conflicts are listed first


def test_other_counts_stay_single_and_separate():
    ledger = figures_ledger([A, B, C], SRC)
    assert _entry(ledger, "buses", "").status == "single"
    wounded = _entry(ledger, "people", "wounded")
    assert wounded.status == "single"
    assert [v[0] for v in wounded.values] == ["3 people"]


def test_lower_bounds_do_not_conflict():
    a = _analysis("a", "At least 2 people were killed in the north, monitors said.\n",
                  [dict(text="At least 2 people", value=2, qualifier="at least", counted="people")])
    b = _analysis("b", "At least 7 people were killed in the north, state radio said.\n",
                  [dict(text="At least 7 people", value=7, qualifier="at least", counted="people")])
    assert all(e.status != "conflicting" for e in figures_ledger([a, b], SRC))


def test_intervals_and_events():
    assert figure_interval(Figure(0, 0, "up to 40 buses", 40.0, qualifier="up to")) == (0.0, 40.0)
    assert figure_interval(Figure(0, 0, "2,000 to 10,000 people", 2000.0, high=10000.0)) == (2000.0, 10000.0)
    assert figure_interval(Figure(0, 0, "more than 465 civilians", 465.0, qualifier="more than"))[1] == math.inf
    assert figure_interval(Figure(0, 0, "several buses", None)) is None
    assert event_of("Some 300 residents fled the town.", 5) == "evacuated"
    assert event_of("The buses were parked.", 4) == ""


def test_vague_figures_never_conflict_and_small_counts_of_things_are_left_out():
    a = _analysis("a", "Officials said scores of residents were evacuated from the lower town.\n\n"
                       "Two towns were cut off by the water.\n",
                  [dict(text="scores of residents", value=None, counted="residents"),
                   dict(text="Two towns", value=2, counted="towns")])
    b = _analysis("b", "Officials said 900 residents were evacuated from the lower town.\n",
                  [dict(text="900 residents", value=900, counted="residents")])
    ledger = figures_ledger([a, b], SRC)
    assert all(e.status != "conflicting" for e in ledger)
    assert not any("town" in e.counted for e in ledger)


def test_breakdowns_compare_only_with_breakdowns_of_the_same_total():
    text = ("At least 40 people, including 9 children, were killed in Brask, medics said.\n\n"
            "Another 12 people, including 4 children, were killed in Tollen, police said.\n")
    art = Article(text, id="a")
    sents = split_sentences(art)
    figs = []
    for phrase, val, counted, parent in (("At least 40 people", 40, "people", None), ("9 children", 9, "children", 0),
                                         ("Another 12 people", 12, "people", None), ("4 children", 4, "children", 2)):
        i = text.index(phrase)
        si = next(s.index for s in sents if s.start <= i < s.end)
        figs.append(Figure(i, i + len(phrase), phrase, float(val), counted=counted, parent=parent,
                           qualifier="at least" if phrase.startswith("At least") else None,
                           sentence_index=si, article_id="a"))
    ledger = figures_ledger([Analysis(art, sents, figures=tuple(figs))], SRC)
    kids = [e for e in ledger if "children" in e.counted]
    assert len(kids) == 2 and all(e.status == "single" for e in kids)
