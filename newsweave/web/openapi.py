"""The OpenAPI 3.1 description served at ``/api/openapi.json``.

Written by hand from the routes in ``app.py`` and ``api.py`` (a test checks
that every route is described). The briefing's own shape is the JSON Schema
shipped with the package; the description points to it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["openapi"]


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


_ERROR = _json(_ref("Error"), "An error, with the fix in its message")
_HTML = {"description": "The HTML page (a view of the JSON twin)", "content": {"text/html": {}}}


def _param(name: str, where: str, description: str, schema: dict[str, Any] | None = None,
           required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required or where == "path",
            "description": description, "schema": schema or {"type": "string"}}


_FRONT_PARAMS = [
    _param("q", "query", "Only stories with articles matching this full-text query"),
    _param("outlet", "query", "Only stories carried by this outlet"),
    _param("from", "query", "Only stories with articles on or after this date", {"type": "string", "format": "date"}),
    _param("to", "query", "Only stories with articles on or before this date", {"type": "string", "format": "date"}),
    _param("since", "query", "Mark stories changed since this date or time (default: your last visit)"),
    _param("page", "query", "Page number, from 1", {"type": "integer", "minimum": 1}),
]
_STORY_PARAMS = [
    _param("id", "path", "Story id (an old id of a merged story redirects to the new one)"),
    _param("since", "query", "Add what changed since this date (YYYY-MM-DD) or time (ISO 8601)"),
]
_ARTICLE_PARAMS = [_param("key", "path", "The article's content hash (or its id)")]
_SEARCH_PARAMS = [
    _param("q", "query", 'Words or "phrases"; hyphenated words match their joined and spaced forms', required=True),
    _param("limit", "query", "Most hits to return (1-100)", {"type": "integer", "minimum": 1, "maximum": 100}),
]


def openapi(version: str) -> dict[str, Any]:
    """The description; ``version`` is the package version."""
    story = {
        "type": "object",
        "required": ["id", "articles", "outlets", "independent"],
        "properties": {
            "id": {"type": "string"},
            "title": {"type": ["string", "null"]},
            "articles": {"type": "integer"},
            "outlets": {"type": "array", "items": {"type": "string"}},
            "independent": {"type": "integer", "description": "independent reports (wire copies count once)"},
            "first_date": {"type": ["string", "null"]},
            "last_date": {"type": ["string", "null"]},
            "updated_at": {"type": ["string", "null"], "description": "when articles last joined the story"},
            "summary": {"type": "array", "items": {"type": "string"}},
            "summary_from": {"enum": ["briefing", "lede"]},
            "changed": {"type": ["boolean", "null"], "description": "changed since the reader's last visit"},
            "url": {"type": "string"},
            "json": {"type": "string"},
        },
    }
    paths: dict[str, Any] = {
        "/": {"get": {"summary": "Front page", "parameters": _FRONT_PARAMS, "responses": {"200": _HTML}}},
        "/index.json": {"get": {
            "summary": "Stories ranked by recent growth and independent reports",
            "parameters": _FRONT_PARAMS,
            "responses": {"200": _json(_ref("StoryList"), "One page of stories"), "400": _ERROR},
        }},
        "/stories/{id}": {"get": {"summary": "Story page", "parameters": _STORY_PARAMS,
                                  "responses": {"200": _HTML, "404": _HTML}}},
        "/stories/{id}.json": {"get": {
            "summary": "The story's briefing (newsweave.briefing/1)",
            "parameters": _STORY_PARAMS,
            "responses": {"200": _json(_ref("Briefing"), "The briefing, as `newsweave brief --format json`"),
                          "404": _ERROR},
        }},
        "/articles/{key}": {"get": {"summary": "Article page", "parameters": _ARTICLE_PARAMS,
                                    "responses": {"200": _HTML, "404": _HTML}}},
        "/articles/{key}.json": {"get": {
            "summary": "One article: text, sentence spans, and what its story's briefing cites from it",
            "parameters": _ARTICLE_PARAMS,
            "responses": {"200": _json(_ref("Article"), "The article"), "404": _ERROR},
        }},
        "/search": {"get": {"summary": "Search page", "parameters": _SEARCH_PARAMS, "responses": {"200": _HTML}}},
        "/search.json": {"get": {
            "summary": "Full-text search (BM25), best first",
            "parameters": _SEARCH_PARAMS,
            "responses": {"200": _json(_ref("SearchResult"), "Hits"), "400": _ERROR},
        }},
        "/api/stories/{id}": {"get": {
            "summary": "A story's row (cheap: for polling `updated_at`)",
            "parameters": [_param("id", "path", "Story id")],
            "responses": {"200": _json(_ref("Story"), "The story"), "404": _ERROR},
        }},
        "/api/articles": {"post": {
            "summary": "Add articles (needs the server's token). The API never fetches URLs.",
            "security": [{"bearer": []}],
            "requestBody": {"required": True, "content": {
                "application/json": {"schema": {"oneOf": [_ref("NewArticle"),
                                                          {"type": "array", "items": _ref("NewArticle")}]}},
                "application/x-ndjson": {"schema": {"type": "string", "description": "one NewArticle per line"}},
            }},
            "responses": {
                "201": _json(_ref("AddResult"), "Some articles were added"),
                "200": _json(_ref("AddResult"), "Everything was already stored"),
                "400": _ERROR, "401": _ERROR, "403": _ERROR, "413": _ERROR, "415": _ERROR, "429": _ERROR,
            },
        }},
        "/api/openapi.json": {"get": {"summary": "This description",
                                      "responses": {"200": {"description": "OpenAPI 3.1"}}}},
        "/api/briefing.schema.json": {"get": {"summary": "The briefing's JSON Schema (draft 2020-12)",
                                              "responses": {"200": {"description": "JSON Schema"}}}},
    }
    schemas: dict[str, Any] = {
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
        "Story": story,
        "StoryList": {"type": "object", "required": ["stories", "page", "pages", "total"], "properties": {
            "stories": {"type": "array", "items": story},
            "total": {"type": "integer"}, "page": {"type": "integer"}, "pages": {"type": "integer"},
            "per_page": {"type": "integer"}, "filters": {"type": "object"},
            "changed_since": {"type": ["string", "null"]},
        }},
        "Briefing": {"$ref": "/api/briefing.schema.json",
                     "description": "The briefing (newsweave.briefing/1), as its shipped JSON Schema describes it"},
        "Article": {"type": "object", "required": ["id", "hash", "text", "sentences"], "properties": {
            "id": {"type": "string"}, "hash": {"type": "string"}, "title": {"type": ["string", "null"]},
            "source": {"type": ["string", "null"]}, "url": {"type": ["string", "null"]},
            "link": {"type": ["string", "null"], "description": "the url when it is http(s), else null"},
            "published": {"type": ["string", "null"]}, "story": {"type": ["string", "null"]},
            "text": {"type": "string"},
            "sentences": {"type": "array", "items": {"type": "object", "properties": {
                "index": {"type": "integer"}, "start": {"type": "integer"}, "end": {"type": "integer"},
                "text": {"type": "string"}, "boilerplate": {"type": "boolean"}}}},
            "cited_by": {"type": "object"},
        }},
        "SearchResult": {"type": "object", "required": ["query", "hits"], "properties": {
            "query": {"type": "string"}, "count": {"type": "integer"},
            "hits": {"type": "array", "items": {"type": "object", "properties": {
                "article_id": {"type": "string"}, "title": {"type": ["string", "null"]},
                "source": {"type": ["string", "null"]}, "published": {"type": ["string", "null"]},
                "score": {"type": "number"}, "snippet": {"type": "string"},
                "story": {"type": ["string", "null"]}, "url": {"type": "string"}}}},
        }},
        "NewArticle": {"type": "object", "required": ["text"], "properties": {
            "text": {"type": "string"}, "id": {"type": "string"}, "title": {"type": "string"},
            "source": {"type": "string"}, "url": {"type": "string", "description": "stored, never fetched"},
            "published": {"type": "string", "description": "ISO date or datetime"},
            "story": {"type": "string"}, "stance": {"type": "string"},
        }},
        "AddResult": {"type": "object", "properties": {
            "added": {"type": "integer"}, "already_stored": {"type": "integer"}, "failed": {"type": "integer"},
            "errors": {"type": "array", "items": {"type": "string"}},
            "articles": {"type": "array", "items": {"type": "object"}},
        }},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "newsweave",
            "version": version,
            "description": "Cited briefings of news stories. Every page has a JSON twin at its path plus "
            "`.json`. Read-only unless the server has a token.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
