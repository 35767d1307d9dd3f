"""Entities: merging name variants, roles, story merge, rule fallback (fictional text)."""

from __future__ import annotations

import pytest

from newsweave.analyze import nlp as nlp_mod
from newsweave.analyze.entities import (
    _same_person,
    extract_entities,
    find_by_name,
    merge_story_entities,
    name_key,
)
from newsweave.models import Article, Entity

needs_spacy = pytest.mark.skipif(not nlp_mod.nlp_available(), reason="spaCy extra not installed")


def _named(ents, name):
    for e in ents:
        if e.name == name:
            return e
    raise AssertionError(f"{name!r} not in {[e.name for e in ents]}")


def test_name_key_drops_particles_and_case() -> None:
    assert name_key("President Bashar al-Assad")[-1] == name_key("Assad")[-1] == "assad"


@pytest.mark.parametrize(
    "a,b,same",
    [
        ("Assad", "Bashar al-Assad", True),
        ("al-Assad", "Bashar Assad", True),
        ("President Bashar al-Assad", "Bashar Assad", True),
        ("Ted", "Ted Marlowe", False),  # a first name alone is not enough
        ("Ted Marlowe", "Ted Ashby", False),
        ("Abu Jaafar", "Mohammed Abu Jaafar", True),
    ],
)
def test_same_person(a: str, b: str, same: bool) -> None:
    assert _same_person(a, b) is same


def test_story_merge_keeps_roles_and_variants() -> None:
    a = (Entity("Viktor Alescu", "PERSON", ((0, 13),), ("Alescu",), "Lorvale police chief", "a1"),)
    b = (
        Entity("Alescu", "PERSON", ((5, 11),), (), None, "a2"),
        Entity("Harbour Authority", "ORG", ((20, 37),), (), None, "a2"),
    )
    merged = merge_story_entities([a, b])
    person = _named(merged, "Viktor Alescu")
    assert person.role == "Lorvale police chief"
    assert "Alescu" in person.variants
    assert len([e for e in merged if e.label == "PERSON"]) == 1
    assert find_by_name(merged, "Mr. Alescu") is person


def test_story_merge_does_not_chain_first_names() -> None:
    merged = merge_story_entities(
        [(Entity("Ted Marlowe", "PERSON"),), (Entity("Ted", "PERSON"),), (Entity("Ted Ashby", "PERSON"),)]
    )
    names = {e.name for e in merged}
    assert "Ted Marlowe" in names and "Ted Ashby" in names


@needs_spacy
def test_variants_merge_within_article_with_title_role() -> None:
    text = (
        "Lorvale Prime Minister Viktor Alescu rejected the plan on Monday. "
        "Alescu said the port would stay open. Mr. Alescu later left for the capital."
    )
    ents = extract_entities(Article(text))
    people = [e for e in ents if e.label == "PERSON"]
    assert len(people) == 1
    p = people[0]
    assert p.name == "Viktor Alescu"
    assert len(p.mentions) >= 2
    assert p.role and "Prime Minister" in p.role


@needs_spacy
def test_apposition_role() -> None:
    text = "Hanna Sorvik, a researcher for the Northern Rights Institute, said the report was late."
    p = _named(extract_entities(Article(text)), "Hanna Sorvik")
    assert p.role == "a researcher for the Northern Rights Institute"


@needs_spacy
def test_affiliation_from_group() -> None:
    text = "Yusuf Demirel from the Harbour Workers Union said the strike would go on."
    ents = extract_entities(Article(text))
    p = next(e for e in ents if e.label == "PERSON")
    assert p.role is not None and "Harbour Workers Union" in p.role


@needs_spacy
def test_definite_short_form_joins_named_org() -> None:
    text = (
        "The Lorvale Observatory for Coastal Safety counted 40 breaches in the dikes. "
        "The Observatory said more were likely."
    )
    ents = extract_entities(Article(text))
    orgs = [e for e in ents if e.label == "ORG" and "Observatory" in e.name]
    assert len(orgs) == 1
    assert orgs[0].name.endswith("Observatory for Coastal Safety")
    assert len(orgs[0].mentions) >= 2


def test_rule_path_is_conservative(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp_mod, "nlp_available", lambda: False)
    text = (
        "Spokesman Ilias Karam said the talks failed. On Monday the Lorvale Flood Commission met. "
        "The Weather Was Bad In The North. Karam left."
    )
    ents = extract_entities(Article(text))
    names = {e.name: e for e in ents}
    assert "Ilias Karam" in names and names["Ilias Karam"].label == "PERSON"
    assert names["Ilias Karam"].role == "Spokesman"
    assert any(e.label == "ORG" and "Flood Commission" in e.name for e in ents)
    # capitalised words with no title or organisation suffix are not guessed at
    assert not any("Weather" in n for n in names)


def test_empty_and_non_english_no_crash() -> None:
    assert extract_entities(Article("")) == ()
    ents = extract_entities(Article("Le maire a déclaré que le pont restera fermé. Die Brücke bleibt zu."))
    for e in ents:
        assert e.name.strip()
