"""Disputes: denials paired with claims, competing blame, numeric conflicts; corroboration."""

from __future__ import annotations

from newsweave.analyze.sentences import split_sentences
from newsweave.models import Analysis, Article, Citation, Fact, Figure, SourceEntry
from newsweave.synthesize.agreement import corroborated_facts, single_source_facts
from newsweave.synthesize.coverage import coverage, coverage_by_stance
from newsweave.synthesize.disputes import find_blame, find_denials, find_disputes, party_key


def _analysis(aid: str, text: str, figures: tuple[Figure, ...] = ()) -> Analysis:
    art = Article(text, id=aid)
    return Analysis(art, split_sentences(art), figures=figures)


SRC = [SourceEntry(n, aid, outlet, None, None, None, None, group=g)
       for n, (aid, outlet, g) in enumerate(
           [("a", "Harbor Wire", 1), ("b", "Dock News", 2), ("c", "Valley Courier", 1)], 1)]

A = _analysis("a", (
    "Dockers at the port of Velmora returned to the picket lines on Tuesday.\n\n"
    "Union leaders said a wage agreement had been reached with the port operator late on Monday.\n\n"
    "Crane drivers said they had not been paid for two weeks.\n\n"
    "The port operator denied that any deal had been struck and said talks would continue.\n\n"
    "The union rejected the offer last week.\n"
))
B = _analysis("b", (
    "Strikers accused the port operator of breaking the truce by hiring replacement crews.\n\n"
    "The operator blamed the dockers' union for violating the truce by blocking the gates.\n\n"
    "The harbour master said ships were queueing outside the breakwater.\n\n"
    "Police said the protest was peaceful.\n"
))


def test_denial_is_paired_with_the_claim_it_denies():
    [d] = find_denials([A, B], [], SRC)
    assert d.kind == "denial"
    claim, denial = d.sides
    assert claim[0].startswith("Union leaders said a wage agreement had been reached")
    assert denial[0].startswith("The port operator denied")
    assert claim[1][0].article_id == "a" and denial[1][0].article_id == "a"
    assert claim[1][0].sentence_index < denial[1][0].sentence_index
    assert "deal had been struck" in d.topic


def test_rejecting_an_offer_is_not_a_denial():
    only = _analysis("a", "The union rejected the offer last week. Talks resume on Friday.")
    assert find_denials([only], [], SRC) == []


def test_denial_cites_every_sentence_of_the_claimed_fact():
    claim_b = _analysis("b", "A wage agreement was reached late on Monday, union leaders said.\n")
    s_a = next(s for s in A.sentences if "wage agreement" in s.text)
    s_b = claim_b.sentences[0]
    fact = Fact(1, s_a.text, (Citation("a", s_a.index, s_a.start, s_a.end),
                              Citation("b", s_b.index, s_b.start, s_b.end)), ("a", "b"), 2)
    [d] = find_denials([A, claim_b], [fact], SRC)
    assert {c.article_id for c in d.sides[0][1]} == {"a", "b"}


def test_competing_blame_has_one_side_per_party_blamed():
    [d] = find_blame([A, B], [], SRC)
    assert d.kind == "blame"
    assert len(d.sides) == 2
    texts = [s[0] for s in d.sides]
    assert texts[0].startswith("Strikers accused the port operator")
    assert texts[1].startswith("The operator blamed the dockers' union")
    assert "truce" in d.topic


def test_one_sided_blame_is_no_dispute():
    one = _analysis("b", "Strikers accused the port operator of breaking the truce.\n\n"
                         "Unions elsewhere accused the operator of breaking the truce too.\n")
    assert find_blame([one], [], SRC) == []


def test_party_key():
    assert party_key("Assad's regime and its supporters") == frozenset({"assad", "government"})
    assert party_key("rebel groups") == frozenset({"opposition"})
    assert party_key("Moscow") == frozenset({"russia"})


def test_numeric_conflict_comes_from_the_ledger():
    ta = "Officials said 300 residents were evacuated from the lower town.\n"
    tb = "Rescuers said about 2,000 residents were evacuated from the lower town.\n"
    fa = Figure(15, 28, "300 residents", 300.0, counted="residents", attribution="officials",
                sentence_index=0, article_id="a")
    i = tb.index("about 2,000")
    fb = Figure(i, i + 21, "about 2,000 residents", 2000.0, qualifier="about", counted="residents",
                attribution="rescuers", sentence_index=0, article_id="b")
    ds = find_disputes([_analysis("a", ta, (fa,)), _analysis("b", tb, (fb,))], [], SRC)
    num = [d for d in ds if d.kind == "numeric"]
    assert len(num) == 1
    assert [s[0] for s in num[0].sides] == ["300 residents (officials)", "about 2,000 residents (rescuers)"]


def _facts():
    return [
        Fact(1, "Dockers struck.", (), ("a", "c"), score=3.0),  # a and c are one wire group
        Fact(2, "Ships queued.", (), ("b",), score=1.0),
        Fact(3, "Talks continue.", (), ("a", "b"), score=2.0),
        Fact(4, "Police were calm.", (), ("a", "b", "c"), score=1.0),
    ]


def test_corroborated_and_single_source_facts_count_independent_reports():
    facts = _facts()
    assert [f.id for f in corroborated_facts(facts, SRC)] == [3, 4]
    # Single-source: one article states it; a wire copy in two outlets (fact 1)
    # is neither corroborated nor single-article, so it is in neither list.
    single = [
        Fact(5, "Harbor pilot Ivo Renn said 14 ships queued outside Port Vell.", (), ("b",), score=1.0),
        Fact(6, "Ships queued.", (), ("b",), score=1.0),  # names no one and no number: too vague to list
        Fact(7, "He said 14 ships queued.", (), ("b",), score=1.0),  # points back: cannot stand alone
        Fact(8, "Port Vell's mayor met both sides.", (), ("a",), score=2.0, related=("b",)),  # may be in b
        Fact(9, "Mayor Ana Ruiz met both sides on Tuesday.", (), ("a",), score=2.0),
    ]
    assert [f.id for f in single_source_facts([*facts, *single], SRC)] == [9, 5]
    # No fact is in both lists.
    both = {f.id for f in corroborated_facts([*facts, *single], SRC)} & {
        f.id for f in single_source_facts([*facts, *single], SRC)}
    assert not both


def test_coverage_per_outlet_and_stance():
    facts = _facts()
    cov = coverage(facts, SRC, ())
    assert {k: [f.id for f in v] for k, v in cov.items()} == {"Dock News": [2]}
    arts = [Article("x", id="a", stance="left"), Article("y", id="b", stance="right"),
            Article("z", id="c", stance="left")]
    by_stance = coverage_by_stance(facts, SRC, arts)
    assert {k: [f.id for f in v] for k, v in by_stance.items()} == {"left": [1], "right": [2]}
    assert coverage(facts, SRC[:1], ()) == {}


def test_a_conditional_statement_is_not_the_claim_denied():
    t = ("When a wage deal is reached, it will be announced by the port operator.\n\n"
         "Dockers said on Monday that a wage deal had been reached.\n\n"
         "The port operator denied a wage deal had been reached.\n")
    [d] = find_denials([_analysis("a", t)], [], SRC)
    assert d.sides[0][0].startswith("Dockers said on Monday")


def test_copies_of_one_denial_are_one_dispute():
    t = ("Union leaders said a wage agreement had been reached with the port operator late on Monday.\n\n"
         "The port operator denied that any deal had been struck and said talks would continue.\n")
    ds = find_denials([_analysis("a", t), _analysis("b", t)], [], SRC)
    assert len(ds) == 1
    assert {c.article_id for c in ds[0].sides[1][1]} == {"a", "b"}
    assert {c.article_id for c in ds[0].sides[0][1]} == {"a", "b"}


def test_denied_that_reports_no_claim():
    # "denied that X" says nobody's claim: with no sentence stating X there is no claim side.
    only = _analysis("a", "The audit office said it had received a complaint but denied that it had opened an inquiry into the port.\n")
    assert find_denials([only], [], SRC) == []
    reported = _analysis("a", "The operator denied union claims that it had hired replacement crews at the port.\n")
    [d] = find_denials([reported], [], SRC)
    assert "claims that it had hired replacement crews" in d.sides[0][0]


def test_claim_disputes_pair_an_accusation_with_the_accused_partys_answer():
    from newsweave.analyze import analyze
    from newsweave.synthesize.claim_disputes import claim_disputes

    text = ("Mara Lenz, the head of the dockers' union, accused Velmora Terminals of hiring replacement crews "
            "to unload ships during the strike.\n\n"
            "Velmora Terminals denied that it had hired replacement crews to unload ships.\n\n"
            "Lenz said the union would not return to work this week.\n\n"
            "The harbour master said ships were queueing outside the breakwater.\n")
    an = analyze(Article(text, id="a"))
    ds = claim_disputes([an], {"a": 1}, lambda s: (Citation(s.article_id, s.index, s.start, s.end),))
    assert len(ds) == 1
    (claim, claim_cits), (answer, answer_cits) = ds[0].sides
    assert claim.startswith("Mara Lenz") and answer.startswith("Velmora Terminals denied")
    # Each side cites its own sentences, never the other's, nor an unrelated claim.
    assert {c.sentence_index for c in claim_cits} == {0}
    assert {c.sentence_index for c in answer_cits} == {1}


def test_a_rejection_that_reports_the_claim_is_cited_for_the_claim():
    from newsweave.analyze import analyze
    from newsweave.synthesize.claim_disputes import claim_disputes

    claim = Article("VELMORA, June 3 (HWA) - The Harbour Party accused the port office of hiding the lease.\n", id="a")
    answer = Article("Tomas Brede, the port office's spokesman, rejected the Harbour Party's claim that the office "
                     "had refused to release the lease.\n", id="b")
    ans = [analyze(claim), analyze(answer)]
    ds = claim_disputes(ans, {"a": 1, "b": 2}, lambda s: (Citation(s.article_id, s.index, s.start, s.end),))
    assert len(ds) == 1
    (claim_text, claim_cits), (answer_text, answer_cits) = ds[0].sides
    assert claim_text.startswith("The Harbour Party accused")  # the wire dateline is no part of it
    assert {c.article_id for c in claim_cits} == {"a", "b"}  # b reports the claim it rejects
    assert {c.article_id for c in answer_cits} == {"b"}  # a says nothing of the rejection


def test_a_bodys_negation_of_an_event_answers_the_claim_that_names_the_body():
    from newsweave.analyze import analyze
    from newsweave.synthesize.claim_disputes import claim_disputes

    claim = Article("Opposition leader Ida Marr said on Monday that the audit office was already investigating "
                    "the harbour lease.\n", id="a")
    answer = Article('"We have received a letter and we are reading it. There is no investigation," said Jonas Feld, '
                     "a spokesman for the audit office.\n", id="b")
    ans = [analyze(claim), analyze(answer)]
    ds = claim_disputes(ans, {"a": 1, "b": 2}, lambda s: (Citation(s.article_id, s.index, s.start, s.end),))
    assert [[c.article_id for c in cits] for _, cits in ds[0].sides] == [["a"], ["b"]]
    # Not wanting something is no denial of an event: no dispute.
    other = Article("Residents said they did not want the harbour lease extended, said Ida Marr, an opposition leader.\n",
                    id="c")
    want = Article("The audit office wanted the harbour lease extended by ten years, its chief said.\n", id="d")
    assert claim_disputes([analyze(other), analyze(want)], {"c": 1, "d": 2},
                          lambda s: (Citation(s.article_id, s.index, s.start, s.end),)) == []


def test_the_partys_own_words_in_another_article_are_cited_for_its_side():
    from newsweave.analyze import analyze
    from newsweave.synthesize.claim_disputes import claim_disputes

    a = Article("The Harbour Party accused the port office of hiding the harbour lease.\n\n"
                "Tomas Brede, the port office's spokesman, rejected the Harbour Party's claim that the office "
                "had refused to release the lease.\n", id="a")
    b = Article("Ida Marr, the Harbour Party's leader, said the vote would be close.\n\n"
                "The weather stayed fine all week.\n", id="b")
    c = Article('"We asked for the harbour lease a month ago and the port office refused," Ida Marr said.\n\n'
                '"Then we waited," Ida Marr said.\n', id="c")
    ans = [analyze(a), analyze(b), analyze(c)]
    ds = claim_disputes(ans, {"a": 1, "b": 2, "c": 3},
                        lambda s: (Citation(s.article_id, s.index, s.start, s.end),))
    claim_cits = ds[0].sides[0][1]
    # Ida Marr is the Harbour Party's leader (article b): her words in c say what the party claims.
    assert ("c", 0) in {(x.article_id, x.sentence_index) for x in claim_cits}
    assert ("c", 1) not in {(x.article_id, x.sentence_index) for x in claim_cits}
    assert "b" not in {x.article_id for x in claim_cits}


def test_a_fact_another_outlet_has_a_close_sentence_for_is_not_exclusive():
    from dataclasses import replace

    facts = _facts()
    only_b = next(f for f in facts if f.articles == ("b",))
    close = [replace(f, related=("a",)) if f is only_b else f for f in facts]
    assert coverage(facts, SRC, ()) != {}
    assert all(only_b.id not in [f.id for f in v] for v in coverage(close, SRC, ()).values())
