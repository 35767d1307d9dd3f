"""Timeline: dated events from resolved expressions, merged across sources, in order."""

from __future__ import annotations

from newsweave.analyze.sentences import split_sentences
from newsweave.models import Analysis, Article, Sentence, TimeExpr
from newsweave.synthesize.sources import build_sources
from newsweave.synthesize.timeline import build_timeline, day_of, event_clause

A_TEXT = (
    "date 2025-02-03 The levee at Velmora broke late on Sunday, the regional governor said.\n\n"
    "Rescue boats reached the lower town on Monday morning.\n\n"
    "The regional council will meet on Thursday to discuss repairs to the levee.\n\n"
    "The river has been rising for three days and the water is still high now.\n\n"
    "Rescuers carry a child on Monday (Reuters)\n"
)
B_TEXT = (
    "date 2025-02-04 Velmora's old levee broke on Sunday night after three pumps failed.\n\n"
    "The regional council is to meet Thursday over the levee repairs.\n\n"
    "Forecasters said rain would return every day this week.\n"
)
# (expression, TIMEX3 type, value) as the temporal tagger would resolve them.
A_TIMEX = [
    ("late on Sunday", "TIME", "2025-02-02TNI"),
    ("on Monday morning", "TIME", "2025-02-03TMO"),
    ("on Thursday", "DATE", "2025-02-06"),
    ("for three days", "DURATION", "P3D"),
    ("now", "DATE", "PRESENT_REF"),
    ("on Monday (", "DATE", "2025-02-03"),  # inside a caption: boilerplate
]
B_TIMEX = [
    ("on Sunday night", "TIME", "2025-02-02TNI"),
    ("Thursday", "DATE", "2025-02-06"),
    ("every day", "SET", "P1D"),
    ("this week", "DATE", "2025-W06"),
]


def _analysis(text: str, source: str, timexes: list[tuple[str, str, str]]) -> Analysis:
    art = Article(text, source=source, published=text[5:15], path=source)
    out = []
    for phrase, typ, value in timexes:
        i = text.index(phrase)
        phrase = phrase.rstrip(" (")
        out.append(TimeExpr(i, i + len(phrase), phrase, typ, value, art.id))  # type: ignore[arg-type]
    return Analysis(art, split_sentences(art), timexes=tuple(out))


def _story():
    ans = [_analysis(B_TEXT, "Dock News", B_TIMEX), _analysis(A_TEXT, "Harbor Wire", A_TIMEX)]
    return ans, build_sources([a.article for a in ans], {a.article.id: a.sentences for a in ans})


def test_events_are_merged_across_sources_and_ordered():
    ans, src = _story()
    events = build_timeline(ans, src)
    assert [e.date for e in events] == ["2025-02-02TNI", "2025-02-03TMO", "2025-02-06"]
    broke, boats, council = events
    # The levee breach is stated by both outlets: one event, both cited, both wordings kept.
    assert {c.article_id for c in broke.citations} == {a.article.id for a in ans}
    assert set(broke.expressions) == {"late on Sunday", "on Sunday night"}
    # The earliest source's wording represents the event (Harbor Wire is [1]).
    assert broke.text.startswith("The levee at Velmora broke late on Sunday")
    assert len(boats.citations) == 1
    assert len(council.citations) == 2


def test_durations_sets_vague_refs_and_boilerplate_are_skipped():
    ans, src = _story()
    texts = " ".join(e.text for e in build_timeline(ans, src))
    assert "rising for three days" not in texts
    assert "every day" not in texts
    assert "Rescuers carry a child" not in texts


def test_different_events_on_one_day_stay_apart():
    text = (
        "date 2025-02-03 Rescue boats reached the lower town on Monday.\n\n"
        "Separately, the football club opened its stadium to stranded drivers on Monday.\n"
    )
    an = _analysis(text, "Valley Courier", [("on Monday.", "DATE", "2025-02-03")])
    i = text.index("on Monday", text.index("stadium"))
    an = Analysis(an.article, an.sentences,
                  timexes=an.timexes + (TimeExpr(i, i + 9, "on Monday", "DATE", "2025-02-03", an.article.id),))
    events = build_timeline([an], build_sources([an.article]))
    assert len(events) == 2
    assert [len(e.citations) for e in events] == [1, 1]


def test_empty_and_undated_values():
    assert build_timeline([], []) == ()
    assert day_of("XXXX-WXX-3") is None
    assert day_of("2025-02") is None
    assert day_of("2025-02-03T11:30") == ("2025-02-03", 11.5)


def test_long_sentence_is_trimmed_to_the_clause_with_the_date():
    text = (
        "The governor, who had visited the levee twice in the autumn and promised repairs that never "
        "came, said the pumps were old and the budget was short; the levee finally broke late on "
        "Sunday, flooding the lower town, while engineers were still arguing about who should pay."
    )
    s = Sentence("x", 0, 0, len(text), text)
    i = text.index("late on Sunday")
    clause, start, end = event_clause(s, i, i + 14)
    assert "late on Sunday" in clause
    assert len(clause.split()) < len(text.split())
    assert text[start:end] == clause
    assert not clause.startswith("The governor")


def test_bare_parts_of_day_and_quoted_dates_are_left_out():
    text = ('date 2025-02-03 Crews worked through the night and the pumps restarted at dawn.\n\n'
            '"Today we start again," the mayor said on Monday.\n')
    art = Article(text, published="2025-02-03", path="x")
    sents = split_sentences(art)
    i, j = text.index("at dawn"), text.index("Today")
    k = text.index("on Monday")
    tx = (TimeExpr(i, i + 7, "at dawn", "TIME", "2025-02-03TMO", art.id),
          TimeExpr(j, j + 5, "Today", "DATE", "2025-02-03", art.id),
          TimeExpr(k, k + 9, "on Monday", "DATE", "2025-02-03", art.id))
    quote_end = text.index('," the mayor')
    from newsweave.models import Quote
    q = Quote((j, quote_end), None, None, "the mayor", "direct", article_id=art.id, sentence_index=1)
    an = Analysis(art, sents, quotes=(q,), timexes=tx)
    events = build_timeline([an], build_sources([art]))
    assert [e.expressions for e in events] == [("on Monday",)]


def test_facts_merge_events_and_days_are_capped():
    from newsweave.models import Citation, Fact

    ans, src = _story()
    # Say alignment found that the boat rescue and the council meeting are one fact (they are
    # not, but the timeline must follow alignment when it is given).
    a = next(x for x in ans if x.article.source == "Harbor Wire")
    s_boats = next(s for s in a.sentences if "Rescue boats" in s.text)
    events = build_timeline(ans, src, max_per_day=1)
    assert len({e.date[:10] for e in events}) == len(events)  # one per day
    assert build_timeline(ans, src, [Fact(1, s_boats.text, (Citation(a.article.id, s_boats.index, 0, 0),),
                                          (a.article.id,))])[1].text.startswith("Rescue boats")


def test_a_dateline_date_is_not_an_event():
    text = "date 2025-02-04 VELMORA, Feb. 4 (VPA) - The levee broke on Sunday night.\n"
    art = Article(text, published="2025-02-04", path="x")
    i, j = text.index("Feb. 4"), text.index("on Sunday night")
    tx = (TimeExpr(i, i + 6, "Feb. 4", "DATE", "2025-02-04", art.id),
          TimeExpr(j, j + 15, "on Sunday night", "TIME", "2025-02-02TNI", art.id))
    events = build_timeline([Analysis(art, split_sentences(art), timexes=tx)], build_sources([art]))
    assert [e.date for e in events] == ["2025-02-02TNI"]


def test_a_retelling_on_the_same_day_is_cited_and_an_undated_weekday_finds_its_week():
    dated = ("date 2025-02-04 The council said the bridge vote would be held on Thursday.\n\n"
             "The flood killed at least 12 people on Monday, officials said.\n")
    other = ("date 2025-02-04 Emergency services had put the toll at 12 on Monday.\n\n"
             "A second storm is expected on Monday.\n")
    undated = "The government should win Thursday's bridge vote easily.\n"
    a = _analysis(dated, "Harbor Wire", [("on Thursday", "DATE", "2025-02-06"), ("on Monday", "DATE", "2025-02-03")])
    b_art = Article(other, source="Dock News", published="2025-02-04", path="Dock News")
    b = Analysis(b_art, split_sentences(b_art), timexes=tuple(
        TimeExpr(i, i + 9, "on Monday", "DATE", "2025-02-03", b_art.id)
        for i in (other.index("on Monday"), other.rindex("on Monday"))))
    c_art = Article(undated, source="Valley Courier", path="c")
    i = undated.index("Thursday's")
    c = Analysis(c_art, split_sentences(c_art),
                 timexes=(TimeExpr(i, i + 8, "Thursday", "DATE", "2025-01-30", c_art.id),))  # read a week off
    ans = [a, b, c]
    src = build_sources([x.article for x in ans], {x.article.id: x.sentences for x in ans})
    events = build_timeline(ans, src)
    # One toll told in other words the same day: both articles cited; the storm is another event.
    toll = next(e for e in events if "killed" in e.text)
    assert {x.article_id for x in toll.citations} == {a.article.id, b.article.id}
    assert any("storm" in e.text and [x.article_id for x in e.citations] == [b.article.id] for e in events)
    # The undated article's Thursday is the dated articles' Thursday, not one a week earlier.
    assert [e.date for e in events if "vote" in e.text] == ["2025-02-06"]
    vote = next(e for e in events if "vote" in e.text)
    assert {x.article_id for x in vote.citations} == {a.article.id, c_art.id}
    assert "2025-01-30" not in {e.date for e in events}


def test_one_word_in_common_is_no_event_in_common():
    a = _analysis("date 2025-02-05 As the truce collapsed early Wednesday, there was a flurry of phone calls.\n",
                  "Harbor Wire", [("early Wednesday", "TIME", "2025-02-05TMO")])
    b = _analysis("date 2025-02-05 The deal was delayed on Wednesday morning.\n",
                  "Dock News", [("on Wednesday morning", "TIME", "2025-02-05TMO")])
    src = build_sources([a.article, b.article], {x.article.id: x.sentences for x in (a, b)})
    events = build_timeline([a, b], src)
    assert len(events) == 2
    assert all(len({c.article_id for c in e.citations}) == 1 for e in events)
