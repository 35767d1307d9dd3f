"""The example stories' answer keys are consistent with their articles.

Each ``examples/NAME.key.json`` is scored by ``../shared/checks/check_trust.py``
against the briefing of ``examples/NAME/``. These tests read only the articles
and the key (never a briefing): every phrase must be in the text as ingested
(matched the way check_trust matches, case and quotes folded), a fact's
phrases must occur in exactly the articles the key says state it, and every
article key, fact id and figure must refer to something that exists.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from newsweave.ingest import read_inputs
from newsweave.models import Article

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
KEYS = sorted(EXAMPLES.glob("*.key.json"))


def norm(s: str) -> str:
    """Fold quotes, apostrophes, case and whitespace as check_trust.py does."""
    s = re.sub(r"[\u2018\u2019'`]", "'", s)
    s = re.sub(r"[\u201c\u201d]", '"', s)
    return re.sub(r"\s+", " ", s).lower()


def story_texts(folder: Path) -> dict[str, str]:
    """Article key ("01", "02", ...) -> normalised text; one article per file."""
    items = list(read_inputs([str(folder)]))
    arts = [x for x in items if isinstance(x, Article)]
    assert len(arts) == len(items), f"{folder.name}: some files did not load"
    out: dict[str, str] = {}
    for a in arts:
        key = Path((a.path or "").split(":")[0]).name[:2]
        assert key.isdigit(), a.path
        assert key not in out, f"{folder.name}: two articles under key {key}"
        out[key] = norm(a.text)
    return out


def where(texts: dict[str, str], phrase: str) -> set[str]:
    return {k for k, t in texts.items() if norm(phrase) in t}


@pytest.fixture(scope="module", params=[p.name for p in KEYS])
def story(request: pytest.FixtureRequest) -> tuple[dict[str, Any], dict[str, str]]:
    path = EXAMPLES / request.param
    key = json.loads(path.read_text(encoding="utf-8"))
    folder = EXAMPLES / request.param.removesuffix(".key.json")
    return key, story_texts(folder)


def test_every_example_story_has_a_key() -> None:
    folders = sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir())
    assert folders and [k.name.removesuffix(".key.json") for k in KEYS] == folders


def test_articles_outlets_and_wire_groups(story: tuple[dict[str, Any], dict[str, str]]) -> None:
    key, texts = story
    assert set(key["outlets"]) == set(texts)
    assert all(key["outlets"][k] and all(isinstance(o, str) and o for o in key["outlets"][k]) for k in texts)
    grouped = [k for g in key["wire_groups"] for k in g]
    assert len(grouped) == len(set(grouped)) and set(grouped) <= set(texts)
    assert all(len(g) >= 2 for g in key["wire_groups"])
    singles = len(texts) - len(grouped)
    assert key["independent_reports"] == singles + len(key["wire_groups"])


def test_fact_phrases_are_in_exactly_the_listed_articles(story: tuple[dict[str, Any], dict[str, str]]) -> None:
    key, texts = story
    ids = [f["id"] for f in key["facts"]]
    assert len(ids) == len(set(ids))
    for f in key["facts"]:
        listed = set(f["articles"])
        assert listed and listed <= set(texts), f["id"]
        seen: set[str] = set()
        for phrase in f["any"]:
            found = where(texts, phrase)
            assert found, f"{f['id']}: {phrase!r} is in no article"
            assert found <= listed, f"{f['id']}: {phrase!r} is also in {sorted(found - listed)}"
            seen |= found
        assert seen == listed, f"{f['id']}: no phrase found in {sorted(listed - seen)}"
    for group in key["summary_must_any"]:
        assert group and set(group) <= set(ids), group


def test_attributions_roles_and_disputes_quote_the_articles(story: tuple[dict[str, Any], dict[str, str]]) -> None:
    key, texts = story
    for a in key["attributions"]:
        assert a["polarity"] in ("assert", "deny"), a
        assert where(texts, a["phrase"]), f"attribution phrase not in any article: {a['phrase']!r}"
        assert any(where(texts, v) for v in a["speaker"]), f"no speaker variant in any article: {a['speaker']}"
    phrases = [norm(a["phrase"]) for a in key["attributions"]]
    assert len(phrases) == len(set(phrases))
    for r in key["roles"]:
        assert where(texts, r["name"]), r["name"]
        assert any(where(texts, x) for x in r["role_any"]), r
    for d in key["disputes"]:
        assert len(d["sides"]) == 2, d["id"]
        for side in d["sides"]:
            assert any(where(texts, m) for m in side), f"{d['id']}: no marker of {side} in any article"


def test_figures_conflicts_and_timeline(story: tuple[dict[str, Any], dict[str, str]]) -> None:
    key, texts = story
    values = set()
    for f in key["figures"]:
        assert isinstance(f["value"], (int, float)) and not isinstance(f["value"], bool), f
        assert f["articles"] and set(f["articles"]) <= set(texts), f
        assert all(where(texts, b) for b in f["by"]), f"figure source not named in the texts: {f}"
        values.add(f["value"])
    for c in key["conflicts"]:
        assert len(c["values"]) == 2 and all(set(side) <= values for side in c["values"]), c
    prefixes = key["timeline_allowed_prefixes"]
    assert key["timeline_must"]
    for d in key["timeline_must"]:
        assert re.fullmatch(r"\d{4}(-\d\d(-\d\d)?|-W\d\d)?", d), d
        assert any(d.startswith(p) for p in prefixes), d
