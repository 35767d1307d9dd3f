"""Who said what: speakers merged across articles, quotes shown once, variants flagged."""

from __future__ import annotations

from newsweave.models import Analysis, Article, Entity, Quote, Sentence, SourceEntry
from newsweave.synthesize.speakers import speaker_key, who_said_what


def _analysis(aid: str, text: str, quotes: list[tuple[str, str, str, str | None, str]]) -> Analysis:
    """quotes: (content text, speaker, speaker type, role, kind)."""
    art = Article(text, id=aid)
    sents = (Sentence(aid, 0, 0, len(text), text),)
    qs = []
    for content, speaker, typ, role, kind in quotes:
        i = text.index(content)
        qs.append(Quote((i, i + len(content)), None, None, speaker, kind, role, typ,  # type: ignore[arg-type]
                        aid, 0, content))
    return Analysis(art, sents, quotes=tuple(qs))


SRC = [
    SourceEntry(1, "a", "Harbor Wire", None, "2025-02-03", None, None, group=1),
    SourceEntry(2, "b", "Dock News", None, "2025-02-03", None, None, group=2),
    SourceEntry(3, "c", "Valley Courier", None, "2025-02-04", None, None, group=3),
]

GOV_QUOTE = "The levee was never built for a flood like this"
A = _analysis("a", (
    f'"{GOV_QUOTE}," said regional governor Ilse Marankova. '
    '"We will rebuild the levee within a year," engineer Piet Holm said. '
    'Anna Holm, a shopkeeper, said the canal rose in minutes. '
    'The U.N. said it was sending pumps.'
), [
    (GOV_QUOTE, "Ilse Marankova", "person", "regional governor", "direct"),
    ("We will rebuild the levee within a year", "Piet Holm", "person", "engineer", "direct"),
    ("the canal rose in minutes", "Anna Holm", "person", "shopkeeper", "indirect"),
    ("it was sending pumps", "U.N.", "organisation", None, "indirect"),
])
B = _analysis("b", (
    f'Marankova told reporters: "{GOV_QUOTE}." '
    '"We will rebuild the levee inside a year," Holm said. '
    'The United Nations said it was sending pumps. '
    '"We were abandoned by the council, again," said a resident who asked not to be named.'
), [
    (GOV_QUOTE, "Marankova", "person", None, "direct"),
    ("We will rebuild the levee inside a year", "Holm", "person", None, "direct"),
    ("it was sending pumps", "United Nations", "organisation", None, "indirect"),
    ("We were abandoned by the council, again", "a resident who asked not to be named", "anonymous", None,
     "direct"),
])
C = _analysis("c", (
    'Mr. Marankova... no: Governor Ilse Marankova said the levee was never built for such a flood. '
    'Residents felt "abandoned by the council," one resident who asked not to be named said. '
    'He said nothing more.'
), [
    ("the levee was never built for such a flood", "Ilse Marankova", "person", "governor", "indirect"),
    ("abandoned by the council", "a resident who asked not to be named", "anonymous", None, "direct"),
    ("nothing more", "He", "person", None, "indirect"),
])


def _by_name(result):
    return {sq.speaker: sq for sq in result}


def test_empty():
    assert who_said_what([], []) == ()


def test_name_variants_merge_and_full_name_and_role_win():
    res = _by_name(who_said_what([A, B, C], SRC))
    gov = res["Ilse Marankova"]
    assert gov.role == "regional governor"
    assert gov.outlets == ("Harbor Wire", "Dock News", "Valley Courier")
    assert "Marankova" not in res


def test_quote_carried_by_two_outlets_is_shown_once_with_both_citations():
    gov = _by_name(who_said_what([A, B, C], SRC))["Ilse Marankova"]
    direct = [q for q in gov.quotes if q.direct]
    assert len(direct) == 1
    text, cits = direct[0].text, direct[0].citations
    assert text == GOV_QUOTE
    assert {c.article_id for c in cits} == {"a", "b"}
    # The paraphrase in the third outlet is reported speech: kept, and not a "variant".
    assert any(not q.direct for q in gov.quotes)
    assert gov.variants_differ is False


def test_differing_versions_of_one_quote_are_flagged_and_kept_side_by_side():
    res = _by_name(who_said_what([A, B, C], SRC))
    holm = res["Piet Holm"]
    assert holm.variants_differ is True
    texts = [q.text for q in holm.quotes]
    assert texts == ["We will rebuild the levee within a year", "We will rebuild the levee inside a year"]


def test_an_excerpt_is_not_a_variant():
    anon = _by_name(who_said_what([A, B, C], SRC))["a resident who asked not to be named"]
    assert anon.variants_differ is False
    assert len(anon.quotes) == 1
    assert {c.article_id for c in anon.quotes[0].citations} == {"b", "c"}


def test_bare_surname_shared_by_two_people_goes_to_who_said_those_words():
    # "Holm" in B could be Piet or Anna; Piet said nearly these words in A, so it is Piet.
    res = _by_name(who_said_what([A, B, C], SRC))
    assert any("inside" in q.text for q in res["Piet Holm"].quotes)
    assert not any("inside" in q.text for q in res["Anna Holm"].quotes)
    assert "Holm" not in res


def test_bare_surname_shared_by_two_people_is_not_guessed():
    d = _analysis("c", '"The pumps are gone," Holm said.', [("The pumps are gone", "Holm", "person", None, "direct")])
    res = _by_name(who_said_what([A, d], SRC))
    assert "Holm" in res  # neither Piet nor Anna said it: kept apart rather than guessed
    assert not any("pumps" in q.text for q in res["Piet Holm"].quotes + res["Anna Holm"].quotes)


def test_organisation_acronym_merges_and_pronouns_are_dropped():
    res = _by_name(who_said_what([A, B, C], SRC))
    un = next(sq for name, sq in res.items() if name in ("United Nations", "U.N."))
    assert len(un.quotes) == 1 and len(un.quotes[0].citations) == 2
    assert "He" not in res


def test_prominence_order():
    res = who_said_what([A, B, C], SRC)
    assert res[0].speaker == "Ilse Marankova"  # quoted by three outlets
    assert res[-1].speaker == "Anna Holm"  # one quote in one outlet


def test_story_entities_give_full_name_and_role():
    b_only = _analysis("b", '"We need pumps," Osk said.', [("We need pumps", "Osk", "person", None, "direct")])
    ents = [Entity("Teodor Osk", "PERSON", role="mayor of Brask", variants=("Osk",))]
    res = who_said_what([b_only], SRC, entities=ents)
    assert (res[0].speaker, res[0].role) == ("Teodor Osk", "mayor of Brask")


def test_speaker_key_drops_titles_and_particles():
    assert speaker_key("President Bashar al-Assad") == ("bashar", "assad")
    assert speaker_key("the U.N.") != ()


def test_descriptions_that_name_no_speaker_are_dropped_and_never_become_people():
    text = ('The siege of Velmora, critics said, "was a failure." '
            'Opponents of Mayor Teodor Osk accused him of neglect. '
            '"We need pumps," said Teodor Osk.')
    an = _analysis("a", text, [
        ("was a failure", "the siege of Velmora", "unknown", None, "direct"),
        ("him of neglect", "Opponents of Mayor Teodor Osk", "person", None, "indirect"),
        ("We need pumps", "Teodor Osk", "person", None, "direct"),
    ])
    res = _by_name(who_said_what([an], SRC))
    assert "the siege of Velmora" not in res
    assert [q.text for q in res["Teodor Osk"].quotes] == ["We need pumps"]
    assert "Opponents of Mayor Teodor Osk" in res


def test_a_name_in_apposition_joins_that_person():
    text = '"The river is rising," Piet Holm said. Another engineer, Piet Holm, who built the pumps, said they failed.'
    an = _analysis("a", text, [
        ("The river is rising", "Piet Holm", "person", "engineer", "direct"),
        ("they failed", "Another engineer, Piet Holm, who built the pumps", "unknown", None, "indirect"),
    ])
    res = _by_name(who_said_what([an], SRC))
    assert len(res["Piet Holm"].quotes) == 2


def test_definite_descriptions_and_acronyms_join_the_organisation_named():
    a = _analysis("a", 'The Velmora River Workers\' Union (VRWU) said 300 members walked out.',
                  [("300 members walked out", "Velmora River Workers' Union (VRWU)", "organisation", None, "indirect")])
    b = _analysis("b", 'The VRWU said pumps failed. The union said talks would resume. The company said it would wait.',
                  [("pumps failed", "VRWU", "organisation", None, "indirect"),
                   ("talks would resume", "the union", "unknown", None, "indirect"),
                   ("it would wait", "The company", "unknown", None, "indirect")])
    res = who_said_what([a, b], SRC)
    union = next(sq for sq in res if "Workers' Union" in sq.speaker)
    assert len(union.quotes) == 3
    assert union.outlets == ("Harbor Wire", "Dock News")
    assert any(sq.speaker == "The company" for sq in res)  # no company was named: kept apart


def test_reported_fragments_that_are_not_claims_are_left_out():
    text = "Kestrel said 4.5%. The union spoke to the press. Officials said pumps failed."
    a = _analysis("a", text, [("4.5%", "Kestrel", "organisation", None, "indirect"),
                              ("to the press", "the union", "organisation", None, "indirect"),
                              ("pumps failed", "Officials", "unknown", None, "indirect")])
    res = who_said_what([a], SRC)
    said = [q.text for sq in res for q in sq.quotes]
    assert said == ["pumps failed"]


def _scored(aid: str, text: str, items):
    """items: (content, speaker, stance, claim, confidence)."""
    art = Article(text, id=aid)
    qs = []
    for content, speaker, stance, claim, conf in items:
        i = text.index(content)
        qs.append(Quote((i, i + len(content)), None, None, speaker, "indirect", None, "organisation", aid, 0,
                        content, stance=stance, claim=claim, confidence=conf, evidence=("how:verb",)))
    return Analysis(art, (Sentence(aid, 0, 0, len(text), text),), quotes=tuple(qs))


def test_a_denial_is_shown_with_its_stance_and_never_merged_with_the_claim_it_denies():
    a = _scored("a", "The Velmora Mill said the pumps had failed. The Velmora Mill denied the pumps had failed.", [
        ("the pumps had failed", "Velmora Mill", "asserts", "the pumps had failed", 0.9),
    ])
    b = _scored("b", "The Velmora Mill denied the pumps had failed.", [
        ("the pumps had failed", "Velmora Mill", "denies", "denied that the pumps had failed", 0.9),
    ])
    mill = who_said_what([a, b], SRC)[0]
    shown = {(c.stance, c.text) for c in mill.quotes}
    assert shown == {("asserts", "the pumps had failed"), ("denies", "denied that the pumps had failed")}
    denial = next(c for c in mill.quotes if c.stance == "denies")
    assert [x.article_id for x in denial.citations] == ["b"]
    assert denial.content == "the pumps had failed"


def test_claims_below_the_threshold_or_not_claims_are_left_out():
    a = _scored("a", "Velmora backs the farmers. Velmora said rents rose. Velmora said prices fell.", [
        ("the farmers", "Velmora", "asserts", "", 0.99),  # a position, not a claim
        ("rents rose", "Velmora", "asserts", "rents rose", 0.4),  # not sure enough
        ("prices fell", "Velmora", "asserts", "prices fell", 0.95),
    ])
    res = who_said_what([a], SRC)
    assert [c.text for sq in res for c in sq.quotes] == ["prices fell"]
    assert res[0].quotes[0].confidence == 0.95
