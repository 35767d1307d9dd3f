"""Alignment of the same fact across articles, blocking, and the embedder's fallbacks.

All text is fictional and written for these tests (Port Vell dock strike).
"""

from __future__ import annotations

import pytest

from newsweave.analyze.sentences import split_sentences
from newsweave.errors import MissingExtra
from newsweave.synthesize import embed
from newsweave.synthesize.align import (
    KEYS_PER_SENTENCE,
    MAX_POSTING,
    align_facts,
    build_index,
    candidate_pairs,
)
from newsweave.synthesize.lexical import names_and_numbers, stem, terms

from .conftest import make_story

A = (
    "Dock workers in Port Vell walked off the job on Monday, halting cargo at the harbor. "
    "The Harbor Union said 1,200 members joined the strike after pay talks collapsed. "
    "A bakery on Quay Street sold out of bread by noon."
)
B = (
    "Some 1,200 members of the Harbor Union joined a strike in Port Vell after talks on pay collapsed. "
    "The port authority called the walkout unlawful.\n"
    "READ MORE: Port Vell braces for a long dispute\n"
)
C = (
    "The port authority said the walkout in Port Vell was unlawful. "
    "Tourists watched the empty cranes from the old lighthouse."
)


def _facts(*texts: str, **kw):  # type: ignore[no-untyped-def]
    arts = make_story(*texts)
    sents = {a.id: split_sentences(a) for a in arts}
    return arts, sents, align_facts(arts, sents, **kw)


def test_same_fact_grouped_across_articles() -> None:
    arts, sents, facts = _facts(A, B, C)
    by_text = {f.text: f for f in facts}
    strike = next(f for f in facts if "1,200" in f.text)
    assert set(strike.articles) == {arts[0].id, arts[1].id}
    unlawful = next(f for f in facts if "unlawful" in f.text)
    assert set(unlawful.articles) == {arts[1].id, arts[2].id}
    # Unrelated sentences stay on their own.
    bakery = by_text["A bakery on Quay Street sold out of bread by noon."]
    assert bakery.articles == (arts[0].id,)
    # Every citation points at the exact sentence text.
    by_id = {a.id: a for a in arts}
    for f in facts:
        for c in f.citations:
            assert by_id[c.article_id].text[c.start : c.end] == sents[c.article_id][c.sentence_index].text


def test_every_sentence_represents_exactly_one_fact_and_boilerplate_excluded() -> None:
    arts, sents, facts = _facts(A, B, C)
    reps = [(f.citations[0].article_id, f.citations[0].sentence_index) for f in facts]
    assert len(reps) == len(set(reps))
    expected = {(s.article_id, s.index) for ss in sents.values() for s in ss if not s.boilerplate}
    assert set(reps) == expected
    cited = {(c.article_id, c.sentence_index) for f in facts for c in f.citations}
    assert cited == expected
    assert all("READ MORE" not in f.text for f in facts)


def test_one_sentence_per_article_per_fact() -> None:
    # Article A says the same thing twice; a fact still holds one sentence of it.
    dup = "Port Vell dock workers began a strike on Monday. Port Vell dock workers started a strike Monday."
    arts, _, facts = _facts(dup, "The strike by Port Vell dock workers began on Monday.")
    for f in facts:
        ids = [c.article_id for c in f.citations]
        assert len(ids) == len(set(ids))


def test_independent_reports_use_groups() -> None:
    wire = "Port Vell dock workers began a strike on Monday over pay, the Harbor Union said."
    copy = wire + " Ferries to Camber Bay still sailed."  # the same wire text, republished with an addition
    arts, sents, facts = _facts(wire, copy, "Dock workers in Port Vell began a strike over pay on Monday.")
    # Articles 0 and 1 are the same wire copy (one independence group).
    groups = {arts[0].id: 1, arts[1].id: 1, arts[2].id: 2}
    facts = align_facts(arts, sents, groups=groups)
    top = facts[0]
    assert len(top.articles) == 3
    assert top.independent == 2
    assert align_facts(arts, sents)[0].independent == 3


def test_facts_sorted_by_support_and_deterministic() -> None:
    arts, sents, facts = _facts(A, B, C)
    support = [(f.independent, len(f.articles)) for f in facts]
    assert support == sorted(support, reverse=True)
    assert [f.id for f in facts] == list(range(len(facts)))
    assert align_facts(arts, sents) == facts


def test_candidate_pairs_stay_bounded() -> None:
    # 400 short articles that all share common words: posting lists for those
    # words exceed MAX_POSTING and are skipped, so pairs grow linearly.
    texts = [f"The strike in Port Vell entered day {i} as ship number {1000 + i} waited." for i in range(400)]
    arts = make_story(*texts)
    sents = {a.id: split_sentences(a) for a in arts}
    idx = build_index(arts, sents)
    pairs = candidate_pairs(idx)
    n = len(idx.items)
    assert len(pairs) <= n * 2 * KEYS_PER_SENTENCE * MAX_POSTING
    assert len(pairs) < n * (n - 1) // 2 // 4  # far from all pairs


def test_empty_story() -> None:
    assert align_facts([], {}) == []


def test_lexical_helpers() -> None:
    assert stem("strikes") == stem("striking")
    assert "harbor union" in names_and_numbers("Yesterday the Harbor Union said so.")
    assert "1200" in names_and_numbers("About 1,200 workers.")
    assert terms("The workers and the union") == ["work", "union"]


def test_embedder_missing_vocabulary_raises_missing_extra(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(embed, "TOKENIZER_PACKAGES", ())
    monkeypatch.delenv("NEWSWEAVE_TOKENIZER", raising=False)
    embed.get_embedder.cache_clear()
    try:
        assert embed.embeddings_available() is False
        with pytest.raises(MissingExtra) as err:
            embed.get_embedder()
        assert "pip install 'newsweave[embed]'" in str(err.value)
    finally:
        embed.get_embedder.cache_clear()


@pytest.mark.skipif(not embed.embeddings_available(), reason="embed extra or tokenizer vocabulary not installed")
def test_embedder_vectors_are_unit_and_cached() -> None:
    e = embed.get_embedder()
    texts = ["Dock workers in Port Vell went on strike.", "Port Vell dockers walked out.", "Bread sold out."]
    v = e.embed(texts)
    assert v.shape == (3, 384)
    assert abs(float((v * v).sum(axis=1).max()) - 1.0) < 1e-3
    assert float(v[0] @ v[1]) > float(v[0] @ v[2])
    assert (e.embed(texts[:1]) == v[:1]).all()
    arts, sents, facts = _facts(A, B, C, embedder=e)
    assert any(len(f.articles) > 1 for f in facts)


def test_a_shared_phrase_of_background_makes_no_fact_in_common() -> None:
    from newsweave.models import Article

    a = Article("Residents said buses reached the harbour gates at dawn, where the sick were carried aboard first "
                "after surviving weeks of intense shelling and hunger.", id="a")
    b = Article("But the army now holds almost all of the valley after weeks of intense shelling and air raids.", id="b")
    facts = align_facts([a, b], {x.id: split_sentences(x) for x in (a, b)})
    assert all(f.articles in (("a",), ("b",)) for f in facts)
