"""The fact model: units, word families, the same-fact test and its vetoes,
unit-level support, contradictions, and the views built on them.

All text is fictional and written for these tests (a ferry strike in Port
Vell, a flood in the Lune valley, a contract row in Arnhal).
"""

from __future__ import annotations

import pytest

from newsweave.analyze.sentences import split_sentences
from newsweave.models import Citation, Fact, SourceEntry, UnitSupport
from newsweave.synthesize.agreement import corroborated_facts, single_source_facts
from newsweave.synthesize.align import align_facts, fact_support
from newsweave.synthesize.clauses import is_transcript_line, needs_antecedent
from newsweave.synthesize.entail import conflicts, content_terms, speaker_words, statement, unit_match
from newsweave.synthesize.lexical import stem
from newsweave.synthesize.lexicon import family_tokens, lemma
from newsweave.synthesize.units import units

from .conftest import make_story


def _facts(*texts: str):  # type: ignore[no-untyped-def]
    arts = make_story(*texts)
    sents = {a.id: split_sentences(a) for a in arts}
    return arts, sents, align_facts(arts, sents)


def _fact_of(facts: list[Fact], needle: str) -> Fact:
    return next(f for f in facts if needle in f.text)


# --- units --------------------------------------------------------------------


def test_units_cut_subordinate_relative_and_coordinated_clauses() -> None:
    t = "Ferry crews walked out on Monday after wage talks with Calder Lines, which runs the harbour ferries, collapsed."
    texts = [u.text for u in units(t)]
    assert texts[0] == "Ferry crews walked out on Monday"
    assert "after wage talks with Calder Lines collapsed." in texts  # read without its relative clause
    assert "which runs the harbour ferries" in texts
    assert units(t)[-1].whole and units(t)[-1].text == t
    two = units("The union says 900 crews joined; the operator says 300 did.")
    assert [u.text for u in two][:2] == ["The union says 900 crews joined", "the operator says 300 did."]


def test_units_leave_the_dateline_out_and_keep_offsets() -> None:
    t = "PORT VELL, June 2 (VNA) - Ferry crews walked out on Monday, stranding 2,000 passengers."
    for u in units(t):
        assert "VNA" not in u.text
        assert t[u.start : u.end].strip(" ,.") in t
    assert units("Ships waited.")[0].whole


# --- word families ---------------------------------------------------------------


def test_families_join_paraphrases_of_one_event() -> None:
    assert lemma("met") == "meet" and lemma("fled") == "flee"
    assert [t for _, t in family_tokens(["crews", "downed", "tools"])[0]] == ["ev:strike"]
    assert [t for _, t in family_tokens(["crews", "walked", "off", "the", "job"])[0]] == ["ev:strike"]
    assert [t for _, t in family_tokens(["talks", "broke", "down"])[0]] == ["ev:talks", "ev:collapse"]
    # "May" is a month; "density" is no denial.
    assert content_terms("The density of traffic rose in May.") == ["density", "traffic", "ev:rise"]


# --- the same-fact test -------------------------------------------------------------


def test_speaker_words_are_not_content() -> None:
    t = "Ana Ruiz, a spokeswoman for the harbour board, said 14 ferries were idle."
    assert content_terms(t) == [stem("ferries"), stem("idle")]
    assert "board" in statement(t).speakers
    assert content_terms("Ferries were idle, harbour officials said on Monday.") == [stem("ferries"), stem("idle")]
    assert content_terms("Crews are angry, according to the union.") == [stem("crews"), stem("angry")]


def test_paraphrases_match_and_different_numbers_do_not() -> None:
    a = statement("Ferry crews downed tools at 6 a.m. on Monday.")
    b = statement("Crews began a strike at 6 a.m. on Monday.")
    assert unit_match(a, b, {}) >= 0.45
    assert unit_match(statement("The union says 900 crews struck."), statement("The operator says 300 crews struck."), {}) == 0.0


def test_vetoes_stance_quotations_and_hedges() -> None:
    claim = statement("The union accused Calder Lines of hiring agency crews.")
    denial = statement("Calder Lines denied hiring agency crews.")
    assert conflicts(claim, denial) == "stance"
    # Two negative wordings of one denial agree.
    assert conflicts(statement("Calder said no agency crews had been hired."),
                     statement("Calder denied that it had hired agency crews.")) is None
    # "refused to put its offer in writing" does not deny that there is an offer.
    assert conflicts(statement("Calder has offered 3%."), statement("Calder refused to put its 3% offer in writing.")) is None
    q1 = statement('"We will sail when we are paid," the captain said of the fleet.')
    q2 = statement('"The fleet stays in port until Friday," the captain said.')
    assert conflicts(q1, q2) == "quotes"
    assert conflicts(statement("The toll was likely to rise."), statement("The toll rose on Tuesday.")) == "modality"
    assert conflicts(statement("She never met the owner."), statement("She met the owner on Monday.")) == "stance"


def test_one_word_in_common_is_a_fact_only_when_neither_says_more() -> None:
    same = unit_match(statement("after the River Lune burst its banks overnight"),
                      statement("since the River Lune burst its banks on Sunday night"), {})
    assert same >= 0.45
    assert unit_match(statement("as if the battle of Arnhal was already over"),
                      statement("As the battle for Arnhal unfolded"), {}) == 0.0
    # "Eighty-two" is 82: no match with "two" killed.
    assert conflicts(statement("Eighty-two people were killed in the valley."),
                     statement("Two people were killed in the valley.")) == "numbers"


def test_topic_words_alone_make_no_fact() -> None:
    # Every sentence is about the strike: sharing "strike" and "crews" is the topic, not a fact.
    arts, _, facts = _facts(
        "Ferry crews in Port Vell went on strike on Monday. The strike by crews halted the island service. "
        "Crews on strike picketed the quay.",
        "The crews' strike will go to a vote of members on Friday. Crews on strike were angry.",
    )
    vote = _fact_of(facts, "vote of members")
    assert vote.articles == (arts[1].id,)


# --- facts, support, views -------------------------------------------------------------


A = (
    "Ferry crews in Port Vell walked out on Monday after wage talks with Calder Lines collapsed. "
    "The union says 900 crews joined; the operator says 300 did. "
    "Mayor Ines Mora urged both sides to return to talks."
)
B = (
    "The strike by Port Vell ferry crews began on Monday after wage talks broke down. "
    "Calder Lines denied hiring agency crews. "
    "A bakery on Quay Street sold out of bread by noon."
)
C = (
    "The union accused Calder Lines of hiring agency crews to break the strike. "
    "Mayor Ines Mora said she had spoken to both sides."
)


def test_a_sentence_stating_two_facts_cites_both_and_a_part_cites_its_part() -> None:
    arts, sents, facts = _facts(A, B, C)
    lead = _fact_of(facts, "Ferry crews in Port Vell walked out")
    assert set(lead.articles) == {arts[0].id, arts[1].id}
    # The support is kept unit by unit, and a view of one unit cites that unit's support.
    first = next(u for u in lead.support if "walked out on Monday" in arts[0].text[u.start : u.end])
    cits, _ = fact_support(lead, first.start, first.end)
    assert {c.article_id for c in cits} == {arts[0].id, arts[1].id}
    cits, _ = fact_support(lead, 0, 1)  # a span holding no unit: the sentence itself only
    assert cits == lead.citations[:1]


def test_every_sentence_represents_one_fact_and_the_relation_is_symmetric() -> None:
    arts, sents, facts = _facts(A, B, C)
    by_rep = {(f.citations[0].article_id, f.citations[0].sentence_index): f for f in facts}
    for f in facts:
        for c in f.citations[1:]:
            other = by_rep[(c.article_id, c.sentence_index)]
            assert f.citations[0].article_id in other.articles


def test_contradiction_is_recorded_for_the_disputes_view() -> None:
    arts, sents, facts = _facts(A, B, C)
    denial = _fact_of(facts, "denied hiring agency crews")
    assert [c.article_id for c in denial.contradicted_by] == [arts[2].id]
    assert arts[2].id not in denial.articles


def test_views_never_disagree_and_single_source_items_stand_alone() -> None:
    arts, sents, facts = _facts(A, B, C)
    src = [SourceEntry(i + 1, a.id, f"Outlet {i}", None, None, None, None, group=i + 1) for i, a in enumerate(arts)]
    corr = {f.id for f in corroborated_facts(facts, src)}
    single = single_source_facts(facts, src)
    assert not corr & {f.id for f in single}
    texts = [f.text for f in single]
    assert "A bakery on Quay Street sold out of bread by noon." in texts
    # The mayor's line in A has a near match in C (the same named person): not called single-source.
    assert not any("Mora" in t for t in texts)
    # The corroborated list shows each fact once, not once per article stating it.
    shown = [f for f in corroborated_facts(facts, src) if "walked out" in f.text or "strike by Port Vell" in f.text]
    assert len(shown) == 1


@pytest.mark.parametrize(
    "text",
    [
        '"We saw two coaches arrive at 3 a.m.," she said.',
        "Ana Ruiz: We have 68 votes.",
        "You are accusing a serving minister of corruption, Ana Ruiz said.",
        "Calder Lines denied the claim.",
    ],
)
def test_single_source_needs_a_standalone_statement(text: str) -> None:
    f = Fact(1, text, (Citation("a", 0, 0, len(text)),), ("a",), score=1.0)
    assert single_source_facts([f], []) == ()


def test_back_references_and_transcript_lines() -> None:
    assert needs_antecedent("Calder Lines denied the claim.")
    assert not needs_antecedent("Calder Lines denied the claim that it hired crews.")
    assert needs_antecedent("The minister rejects that framing.")
    assert is_transcript_line("Ana Ruiz: We have 68 votes.")
    assert not is_transcript_line("Talks resume: both sides agree to meet.")


def test_fact_support_without_units_is_the_whole_fact() -> None:
    c = Citation("a", 0, 0, 5)
    d = Citation("b", 0, 0, 5)
    f = Fact(1, "x", (c, d), ("a", "b"), support=(UnitSupport(0, 3, (d,)),))
    assert fact_support(f) == ((c, d), ())
    assert fact_support(f, 0, 5) == ((c, d), ())
    assert speaker_words(["the", "union", "said"], ["^", "", ""]) == {0, 1}


def test_a_name_and_the_common_noun_that_refers_back_to_it_are_shared() -> None:
    # "the river" refers back to "the River Tarn": with one event word in common, one fact.
    a = statement("after the River Tarn burst its banks overnight")
    b = statement("since the river burst its banks on Sunday night")
    assert unit_match(a, b, {}, 1.0, 2) > 0
    # Another river named on both sides is no reference back.
    assert unit_match(a, statement("after the River Leen burst its banks overnight"), {}, 1.0, 2) == 0
