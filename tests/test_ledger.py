"""Figures ledger: quantities, conflicts between parties, updates over time, party names.

Every story here is fictional and written for these tests. The end-to-end cases
run the whole analysis (with spaCy when it is installed); the ledger's rules on
hand-made figures run without it.
"""

from __future__ import annotations

import math

import pytest

from newsweave.analyze import analyze_many
from newsweave.analyze.nlp import nlp_available
from newsweave.analyze.sentences import split_sentences
from newsweave.models import Analysis, Article, Figure, LedgerEntry, SourceEntry
from newsweave.synthesize.ledger import figures_ledger
from newsweave.synthesize.ledger_compare import Side, figure_interval, pair_kind, relation
from newsweave.synthesize.ledger_parties import Parties
from newsweave.synthesize.sources import build_sources
from tests.conftest import make_article

needs_parse = pytest.mark.skipif(not nlp_available(), reason="no spaCy")


def ledger_of(*dated: tuple[str, str]) -> tuple[LedgerEntry, ...]:
    """The ledger of a story given as (date, text) pairs, one outlet per article."""
    arts = [make_article(text, source=f"Outlet {chr(65 + i)}", published=date, path=f"story/{i:02d}.txt")
            for i, (date, text) in enumerate(dated)]
    analyses = list(analyze_many(arts))
    sources = build_sources(arts, {an.article.id: an.sentences for an in analyses})
    return figures_ledger(analyses, sources)


def entry_with(ledger: tuple[LedgerEntry, ...], value: float) -> LedgerEntry:
    return next(e for e in ledger if any(r.value == value or r.low == value for r in e.figures))


def rows(entry: LedgerEntry) -> list[tuple[float | None, str | None]]:
    return [(r.value, r.by) for r in entry.figures]


# --- ledger rules on hand-made figures (no spaCy) ---------------------------


def _analysis(aid: str, text: str, figs: list[dict]) -> Analysis:
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


def test_empty():
    assert figures_ledger([], []) == ()


def test_same_number_from_two_outlets_is_one_corroborated_row_with_both_citations():
    a = _analysis("a", "The river authority said 300 residents were evacuated from Lowmarsh.\n",
                  [dict(text="300 residents", value=300, counted="residents", event="evacuated",
                        attribution="river authority")])
    b = _analysis("b", "Some 300 people have been evacuated from Lowmarsh, the river authority said.\n",
                  [dict(text="Some 300 people", value=300, qualifier="about", counted="people", event="evacuated",
                        attribution="the river authority")])
    (e,) = figures_ledger([a, b], SRC)
    assert e.status == "corroborated" and e.event == "evacuated"
    (row,) = e.figures
    assert row.value == 300 and row.by == "river authority"
    assert {c.article_id for c in row.citations} == {"a", "b"}


def test_different_parties_different_numbers_conflict_and_both_sides_are_cited():
    a = _analysis("a", "The union says 800 drivers joined the strike; the operator says 300 did.\n", [
        dict(text="800 drivers", value=800, counted="drivers", event="on strike", attribution="union"),
        dict(text="300", value=300, counted="drivers", event="on strike", attribution="operator"),
    ])
    (e,) = figures_ledger([a], SRC)
    assert e.status == "conflict"
    assert rows(e) == [(800, "union"), (300, "operator")]
    assert all(r.disputed for r in e.figures)


def test_revision_by_the_same_party_is_an_update_not_a_conflict():
    a = _analysis("a", "The river authority said 14 people were killed in the levee break.\n", [
        dict(text="14 people", value=14, counted="people", event="killed", attribution="river authority",
             date="2025-04-07")])
    b = _analysis("b", "The toll from the levee break rose to 19, the river authority said.\n", [
        dict(text="19", value=19, counted="deaths", event="killed", attribution="river authority",
             date="2025-04-08", revised=True)])
    (e,) = figures_ledger([a, b], SRC)
    assert e.status == "updated"
    assert [(r.value, r.note) for r in e.figures] == [(14, "earlier figure"), (19, "latest figure")]


def test_demanded_and_planned_figures_are_quantities_of_their_own():
    a = _analysis("a", "The union wants 40 sacked drivers reinstated. Police said 12 drivers were arrested.\n", [
        dict(text="40 sacked drivers", value=40, counted="drivers", event="released", kind="demanded",
             attribution="union"),
        dict(text="12 drivers", value=12, counted="drivers", event="detained", attribution="police"),
    ])
    ledger = figures_ledger([a], SRC)
    assert {e.counted for e in ledger} == {"drivers released (demanded)", "drivers detained"}
    assert all(e.status == "single" for e in ledger)


def test_unsure_figures_and_small_counts_of_places_stay_out():
    a = _analysis("a", "Two towns were cut off. It rose 4% on the year. Nine lorries were stuck.\n", [
        dict(text="Two towns", value=2, counted="towns"),
        dict(text="4%", value=4, unit="%", doubts=("what is counted",)),
        dict(text="Nine lorries", value=9, counted="lorries", event="waiting"),
    ])
    ledger = figures_ledger([a], SRC)
    assert [e.counted for e in ledger] == ["lorries waiting"]


def test_lower_bounds_close_together_are_not_compared_but_far_apart_they_differ():
    f = lambda v, q=None: Figure(0, 0, str(v), float(v), qualifier=q)  # noqa: E731
    assert relation(f(40, "at least"), f(45, "at least")) == "neither"
    assert relation(f(15000, "more than"), f(100000, "more than")) == "differ"
    assert relation(f(14, "at least"), f(19)) == "differ"
    assert relation(f(82, "at least"), f(82)) == "agree"
    assert relation(Figure(0, 0, "thousands of dockers", 2000.0, high=9999.0), f(4000)) == "agree"
    assert figure_interval(f(40, "up to")) == (0.0, 40.0)
    assert figure_interval(f(465, "more than"))[1] == math.inf


def test_pair_kinds():
    assert pair_kind(Side("union", "2026-03-10"), Side("port authority", "2026-03-10")) == "conflict"
    assert pair_kind(Side("ministry", "2026-03-10"), Side("ministry", "2026-03-11")) == "update"
    assert pair_kind(Side("ministry", "2026-03-10"), Side("ministry", "2026-03-10")) is None
    assert pair_kind(Side("outlet:Harbor Wire", "2016-11"), Side("russia", "2016-12-13")) == "update"
    # A revision is an update over time, but not against another party's count of the same day.
    assert pair_kind(Side("ministry", "2026-03-10"), Side("hospital", "2026-03-11", revised=True)) == "update"
    assert pair_kind(Side("ministry", "2026-03-11", revised=True), Side("hospital", "2026-03-11")) == "conflict"
    assert pair_kind(Side("rebels", "2026-03-11", earlier=True), Side("rebels", "2026-03-11")) == "update"


def test_party_names_are_one_across_the_story():
    p = Parties(["U.N.", "United Nations", "Harbour and Dock Workers' Union (HDWU)", "port authority",
                 "Marrowick Port Authority", "service", "Civil Protection Service",
                 "National Civil Protection Service"])
    assert p.display("UN") == p.display("U.N.") == "United Nations"
    assert p.display("HDWU") == "Harbour and Dock Workers' Union"
    assert p.display("the port authority") == "Marrowick Port Authority"
    assert p.display("service") == p.display("Civil Protection Service") == "National Civil Protection Service"
    assert p.key("a union spokesman") == "harbour and dock workers' union"
    assert p.display("the UN and Amnesty International") == "United Nations and Amnesty International"


# --- end to end: analysis and ledger on stories we wrote ---------------------


@needs_parse
def test_a_revised_toll_is_an_update_and_a_hospitals_higher_count_a_conflict():
    ledger = ledger_of(
        ("2025-04-07", "The Velmora river authority said 14 people were killed when the levee broke on "
                       "Sunday night.\n\nThe river authority said 41 people were still missing on Monday."),
        ("2025-04-08", "The death toll from the Velmora levee break rose to 19 on Tuesday, the river authority "
                       "said.\n\nThe authority had put the toll at 14 on Monday.\n\nVelmora District Hospital said "
                       "its morgue had received 26 bodies, a figure the authority has not confirmed."),
        ("2025-04-09", "The official toll stood at 19 on Wednesday.\n\nThe river authority said 22 people were "
                       "still missing."),
    )
    toll = entry_with(ledger, 26)
    assert toll.status == "conflict" and toll.event == "killed"
    by_value = {r.value: r for r in toll.figures}
    assert set(by_value) == {14, 19, 26}
    assert by_value[14].note == "earlier figure" and not by_value[14].disputed
    assert by_value[19].disputed and by_value[26].disputed
    assert "Hospital" in (by_value[26].by or "") and "river authority" in (by_value[19].by or "").lower()
    missing = entry_with(ledger, 22)
    assert missing.status == "updated" and missing.event == "missing"
    assert [(r.value, r.note) for r in missing.figures] == [(41, "earlier figure"), (22, "latest figure")]


@needs_parse
def test_what_happened_to_them_is_read_from_the_words_that_govern_the_figure():
    ledger = ledger_of(("2025-04-07", (
        "The council is planning a camp on the racecourse to host 3,000 people fleeing the floods.\n\n"
        "About 4,000 residents fled Lowmarsh before the water arrived, police said.\n\n"
        "The floods have left nearly a third of the island's population displaced.\n\n"
        "The drivers' union wants the reinstatement of 40 sacked drivers.\n\n"
        "Two towns were cut off by the water."
    )))
    got = {(e.event, r.kind) for e in ledger for r in e.figures}
    assert ("capacity", "planned") in got  # the camp's capacity, not people evacuated
    assert ("fled", "reported") in got  # fled, not evacuated
    assert ("displaced", "reported") in got
    assert any(kind == "demanded" for _, kind in got)  # a demand, not drivers detained
    assert not any("town" in e.counted for e in ledger)


@needs_parse
def test_each_side_of_a_sentence_keeps_its_own_speaker_and_numbers_are_numbers():
    ledger = ledger_of(("2025-04-07", "The drivers' union says 800 drivers have joined the strike; the Lowmarsh "
                                      "Bus Company says the figure is closer to 300."))
    e = entry_with(ledger, 800)
    assert e.status == "conflict"
    by = {r.value: r.by for r in e.figures}
    assert "union" in (by[800] or "").lower() and "Bus Company" in (by[300] or "")


@needs_parse
def test_people_left_in_a_place_from_two_parties_conflict_across_outlets():
    ledger = ledger_of(
        ("2025-04-08", "The Harl Monitoring Group estimated that more than 2,000 civilians remain in the "
                       "cut-off district."),
        ("2025-04-08", "The interior ministry said over 9,000 people were still trapped in the district."),
    )
    e = entry_with(ledger, 2000)
    assert e.status == "conflict" and e.event == "remaining"
    assert {r.value for r in e.figures} == {2000, 9000}


@needs_parse
def test_one_party_under_two_names_is_one_row():
    ledger = ledger_of(
        ("2025-04-08", "The U.N. said 300 families had been rescued from the island."),
        ("2025-04-08", "The United Nations said 300 families had been rescued from the island."),
    )
    (e,) = [e for e in ledger if e.figures[0].value == 300]
    assert [r.by for r in e.figures] == ["United Nations"] and e.status == "corroborated"


def test_numeric_disputes_read_the_rows_in_dispute():
    from newsweave.synthesize.disputes import numeric_disputes

    a = _analysis("a", "Thousands of drivers walked out. The union says 800 drivers joined the strike; the "
                       "operator says 300 did.\n", [
        dict(text="Thousands of drivers", value=2000, high=9999, counted="drivers", event="on strike"),
        dict(text="800 drivers", value=800, counted="drivers", event="on strike", attribution="union"),
        dict(text="300", value=300, counted="drivers", event="on strike", attribution="operator"),
    ])
    ledger = figures_ledger([a], SRC)
    (d,) = numeric_disputes(ledger)
    assert [s[0] for s in d.sides] == ["800 drivers (union)", "300 (operator)"]
    assert all(len(s[1]) == 1 for s in d.sides)


@needs_parse
def test_a_unions_count_of_its_dead_members_conflicts_with_the_official_toll_it_did_not_confirm():
    ledger = ledger_of(
        ("2025-11-03", "At least 9 miners died and 26 were trapped when a tunnel collapsed at the Kessel Ridge "
                       "mine on Sunday evening, the regional emergency office said."),
        ("2025-11-04", "The death toll from the Kessel Ridge mine collapse rose to 14 on Monday, the regional "
                       "emergency office said.\n\nThe office had put the toll at 9 on Sunday night. It said 21 "
                       "miners were still trapped, down from 26.\n\nThe Mineworkers' Federation said at least 18 "
                       "of its members had been killed, a figure the emergency office has not confirmed."),
    )
    toll = entry_with(ledger, 18)
    assert toll.status == "conflict" and {r.value for r in toll.figures} == {9, 14, 18}
    assert [r.value for r in toll.figures if r.disputed] == [14, 18]
    trapped = entry_with(ledger, 21)
    assert trapped.status == "updated" and [r.value for r in trapped.figures] == [26, 21]


@needs_parse
def test_areas_in_a_unit_are_one_quantity_revised_by_one_party_and_disputed_by_another():
    ledger = ledger_of(
        ("2025-08-18", "A wildfire in the Mereth hills has burned 4,200 hectares since Friday, the regional fire "
                       "service said on Sunday.\n\nThe Orla Forest Watch, an independent monitoring group, said "
                       "satellite images showed that more than 9,000 hectares had burned."),
        ("2025-08-19", "The Mereth hills fire had burned 5,100 hectares by Monday morning, the regional fire service "
                       "said, revising its figure upwards."),
    )
    area = entry_with(ledger, 5100)
    assert area.status == "conflict" and area.event == "burned"
    by = {r.value: (r.by, r.note) for r in area.figures}
    assert by[9000][0] == "Orla Forest Watch"  # who cites the images, not "satellite images"
    assert by[4200][1] == "earlier figure"
