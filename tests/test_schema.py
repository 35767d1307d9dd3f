"""The briefing JSON against its shipped JSON Schema (newsweave/render/briefing.schema.json).

Every example story's briefing must validate, with and without article texts;
a briefing with every section filled (built from the harbor-strike truth file)
must too; and the schema must document every key the briefing writes in its
stable objects (a field added to the JSON is added to the schema in the same
commit).
"""

from __future__ import annotations

import copy
import json
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pytest

jsonschema = pytest.importorskip("jsonschema")

from newsweave import brief  # noqa: E402
from newsweave.render.json import FORMAT, VERSION, from_dict, schema, to_dict, to_json  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
STORIES = sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir())


@lru_cache(maxsize=1)
def validator() -> Any:
    s = schema()
    jsonschema.Draft202012Validator.check_schema(s)
    return jsonschema.Draft202012Validator(s)


def errors(doc: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator().iter_errors(doc)]


@cache
def story_json(name: str) -> dict[str, Any]:
    b = brief([str(EXAMPLES / name)], words=150)
    data: dict[str, Any] = json.loads(to_json(b, include_text=True))
    return data


def test_schema_is_valid_draft_2020_12_and_versioned() -> None:
    s = schema()
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    validator()
    props = s["$defs"]["briefing"]["properties"]
    assert props["format"]["const"] == FORMAT
    assert jsonschema.Draft202012Validator(props["version"]).is_valid(VERSION)
    # Every section and every field is described.
    for name, d in s["$defs"].items():
        assert d.get("description") or d.get("type") == "array", name
        for key, p in d.get("properties", {}).items():
            assert p.get("description") or "$ref" in p, (name, key)


@pytest.mark.parametrize("name", STORIES)
def test_example_story_briefings_validate(name: str) -> None:
    data = story_json(name)
    assert data["version"] == VERSION
    assert errors(data) == []
    without_text = {**data, "articles": [{k: v for k, v in a.items() if k not in ("text", "sentence_spans")}
                                         for a in data["articles"]]}
    assert errors(without_text) == []
    assert errors({"stories": [data, without_text]}) == []


def test_a_briefing_with_every_section_filled_validates() -> None:
    from tests.test_render import truth_briefing

    data = to_dict(truth_briefing(), include_text=True)
    for section in ("summary", "timeline", "speakers", "figures", "disputes", "corroborated", "single_source"):
        assert data[section], section
    assert errors(data) == []
    assert to_dict(from_dict(json.loads(json.dumps(data))), include_text=True) == data


def test_the_schema_rejects_broken_briefings() -> None:
    good = story_json(STORIES[0])
    cases = []
    for path, value in [
        (("format",), "newsweave.briefing/2"),
        (("version",), "2.0"),
        (("summary", 0, "citations", 0, "start"), "12"),
        (("sources", 0, "number"), 0),
        (("timeline",), {}),
    ]:
        doc = copy.deepcopy(good)
        target = doc
        for k in path[:-1]:
            target = target[k]
        target[path[-1]] = value
        cases.append(doc)
    missing = copy.deepcopy(good)
    del missing["sources"]
    cases.append(missing)
    cases.append({"stories": []})
    for doc in cases:
        assert errors(doc), doc.get("format")


def _documented(defs: dict[str, Any], name: str) -> set[str]:
    return set(defs[name].get("properties", {}))


def test_the_schema_documents_every_key_of_the_stable_objects() -> None:
    defs = schema()["$defs"]
    data = story_json(STORIES[0])
    undocumented: list[str] = []

    def check(obj: dict[str, Any], name: str) -> None:
        extra = set(obj) - _documented(defs, name)
        undocumented.extend(f"{name}.{k}" for k in sorted(extra))

    check(data, "briefing")
    for s in data["sources"]:
        check(s, "source")
    for a in data["articles"]:
        check(a, "article")
    for section in ("summary", "timeline"):
        for item in data[section]:
            check(item, {"summary": "summarySentence", "timeline": "timelineEvent"}[section])
            for c in item["citations"]:
                check(c, "citation")
    assert undocumented == [], "add these to newsweave/render/briefing.schema.json"
