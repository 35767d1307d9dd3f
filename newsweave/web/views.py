"""Views over the briefing JSON: what the story and article pages show.

Every page is a view over the same JSON the API returns (the briefing of
``render/json.py``): these helpers only group, order and label what that
JSON holds; they never re-decide a fact. Templates get plain values and the
Jinja environment escapes every one of them.
"""

from __future__ import annotations

import re
from collections import Counter, OrderedDict
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from newsweave.models import LedgerFigure
from newsweave.render.common import DISPUTE_LABELS, STATUS_LABELS, date_label, figure_label

__all__ = ["FOLD_AT", "StoryView", "article_cited_by", "article_path", "safe_url", "story_path"]

# A section with more items than this starts folded (a <details> element).
FOLD_AT = 8
_NUMBER_KEY = re.compile(r"^\[(\d+)\]$")
_URL_BAD = re.compile(r"[\x00-\x20\x7f<>\"'`\\]")


def safe_url(url: object) -> str | None:
    """The URL when it is a plain ``http(s)`` link, else None (shown as text, never linked).

    >>> safe_url("https://example.org/a?b=1"), safe_url("javascript:alert(1)"), safe_url("http://")
    ('https://example.org/a?b=1', None, None)
    """
    if not isinstance(url, str) or _URL_BAD.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def story_path(story_id: str) -> str:
    """The story page's path; ids are quoted as one path segment."""
    return "/stories/" + quote(str(story_id), safe="")


def article_path(key: str, sentences: list[int] | None = None,
                 ranges: list[tuple[int, int]] | None = None) -> str:
    """The article page's path, with the cited sentences (and cited character
    ranges, for a quotation that runs past its sentence) to highlight.

    >>> article_path("9f3a", [4, 5], [(120, 340)])
    '/articles/9f3a?s=4,5&r=120-340#s4'
    """
    path = "/articles/" + quote(str(key), safe="")
    if sentences:
        path += "?s=" + ",".join(str(i) for i in sentences)
        if ranges:
            path += "&r=" + ",".join(f"{a}-{b}" for a, b in ranges)
        path += f"#s{sentences[0]}"
    return path


@dataclass(frozen=True)
class CiteLink:
    """One ``[n]`` mark: a source number and the sentences it cites there."""

    n: int
    key: str  # the article's content hash (a unique, URL-safe id)
    sentences: tuple[int, ...]
    text: str
    ranges: tuple[tuple[int, int], ...] = ()  # cited character ranges (code points)

    @property
    def href(self) -> str:
        """Without JavaScript: the article page with the sentences highlighted."""
        return article_path(self.key, list(self.sentences), list(self.ranges))

    @property
    def targets(self) -> str:
        return " ".join(str(i) for i in self.sentences)

    @property
    def spans(self) -> str:
        """The cited ranges as ``start-end`` words, for the reader pane."""
        return " ".join(f"{a}-{b}" for a, b in self.ranges)


class StoryView:
    """Lookups and groupings over one briefing's JSON for the story template."""

    def __init__(self, b: dict[str, Any]) -> None:
        self.b = b
        self.by_number: dict[int, dict[str, Any]] = {s["number"]: s for s in b.get("sources", [])}
        self.articles: dict[str, dict[str, Any]] = {a["id"]: a for a in b.get("articles", [])}
        self.number_of: dict[str, int] = {s["article_id"]: s["number"] for s in b.get("sources", [])}

    # -- citations --------------------------------------------------------
    def key_of(self, article_id: str) -> str:
        """The article's content hash (its stable URL), else its id."""
        a = self.articles.get(article_id)
        return str(a.get("hash") or article_id) if a else article_id

    def cites(self, citations: list[dict[str, Any]]) -> list[CiteLink]:
        """One link per cited source, numbers ascending, each naming its sentences."""
        groups: OrderedDict[int, list[dict[str, Any]]] = OrderedDict()
        for c in citations or []:
            n = c.get("source")
            if isinstance(n, int) and n in self.by_number:
                groups.setdefault(n, []).append(c)
        out = []
        for n in sorted(groups):
            cs = groups[n]
            idx = tuple(sorted({int(c["sentence_index"]) for c in cs if c.get("sentence_index", -1) >= 0}))
            text = " … ".join(str(c.get("text") or "") for c in cs)[:300]
            ranges = tuple(sorted({(int(c["start"]), int(c["end"])) for c in cs
                                   if isinstance(c.get("start"), int) and isinstance(c.get("end"), int)}))
            out.append(CiteLink(n, self.key_of(cs[0]["article_id"]), idx, text, ranges))
        return out

    def outlet(self, n: int) -> str:
        """The outlet of source ``n``, else its title, else "Article n"."""
        s = self.by_number.get(n, {})
        return str(s.get("outlet") or s.get("title") or f"Article {n}")

    def outlet_key(self, key: str) -> str:
        """A coverage key ("Harbor Wire" or "[3]") as a reader's label."""
        m = _NUMBER_KEY.match(key.strip())
        if m and int(m[1]) in self.by_number:
            return f"{self.outlet(int(m[1]))} [{m[1]}]"
        return key

    # -- sections ---------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Items per section (a section with more than FOLD_AT starts folded)."""
        b = self.b
        return {
            "summary": len(b.get("summary", [])),
            "timeline": len(b.get("timeline", [])),
            "headlines": len(b.get("articles", [])),
            "speakers": sum(len(sp.get("quotes", [])) for sp in b.get("speakers", [])),
            "figures": sum(len(e.get("figures") or e.get("values", [])) for e in b.get("figures", [])),
            "disputes": len(b.get("disputes", [])),
            "corroborated": len(b.get("corroborated", [])),
            "single_source": len(b.get("single_source", [])),
            "coverage": sum(len(v) for v in b.get("coverage", {}).values()),
            "sources": len(b.get("sources", [])),
            "notes": len(b.get("notes", [])),
        }

    def folded(self) -> dict[str, bool]:
        """Which sections start folded: the long ones (the summary never)."""
        return {k: (n > FOLD_AT and k != "summary") for k, n in self.counts().items()}

    def overview(self) -> list[str]:
        """Articles, independent reports and the date range, in words."""
        sources = self.b.get("sources", [])
        groups = {s.get("group") for s in sources}
        dates = sorted(str(s["date"])[:10] for s in sources if s.get("date"))
        bits = [f"{len(sources)} article{'s' if len(sources) != 1 else ''}"]
        if sources:
            bits.append(f"{len(groups)} independent report{'s' if len(groups) != 1 else ''}")
        if dates:
            bits.append(dates[0] if dates[0] == dates[-1] else f"{dates[0]} to {dates[-1]}")
        return bits

    def copy_note(self, s: dict[str, Any]) -> str:
        """'copy of [2]', 'shares wire copy with [4]', or '' when independent."""
        if s.get("copy_of") is not None:
            return f"copy of [{s['copy_of']}]"
        mates = sorted(
            o["number"] for o in self.b.get("sources", []) if o.get("group") == s.get("group") and o is not s
        )
        return "shares wire copy with " + "".join(f"[{n}]" for n in mates) if mates else ""

    def headlines(self) -> list[tuple[str, list[dict[str, Any]]]]:
        """Each outlet's headlines, side by side: outlets by first article number."""
        cols: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
        for s in sorted(self.b.get("sources", []), key=lambda e: e["number"]):
            name = str(s.get("outlet") or f"Article {s['number']}")
            cols.setdefault(name, []).append(
                {
                    "n": s["number"],
                    "title": s.get("title"),
                    "date": (s.get("date") or "")[:10] or None,
                    "key": self.key_of(s["article_id"]),
                    "note": self.copy_note(s),
                }
            )
        return list(cols.items())

    def coverage_rows(self) -> list[dict[str, Any]]:
        """Per outlet: stance where known, articles, and what only it reported."""
        cov: dict[str, list[dict[str, Any]]] = self.b.get("coverage", {})
        stance_of: dict[str, str] = {}
        per_outlet: Counter[str] = Counter()
        for a in self.b.get("articles", []):
            name = str(a.get("source") or f"Article {a.get('number')}")
            per_outlet[name] += 1
            if a.get("stance"):
                stance_of.setdefault(name, str(a["stance"]))
        rows = []
        for name, n in per_outlet.most_common():
            facts: list[dict[str, Any]] = []
            for key, fs in cov.items():
                label = self.outlet_key(key)
                if key == name or label.startswith(name + " ["):
                    facts.extend(fs)
            rows.append({"outlet": name, "stance": stance_of.get(name), "articles": n, "facts": facts})
        return rows

    def stances(self) -> list[dict[str, Any]]:
        """Coverage by stance, when any article carries one (AllSides-style data)."""
        rows = self.coverage_rows()
        if not any(r["stance"] for r in rows):
            return []
        by: OrderedDict[str, dict[str, Any]] = OrderedDict()
        for r in sorted(rows, key=lambda r: str(r["stance"] or "~")):
            st = str(r["stance"] or "not known")
            e = by.setdefault(st, {"stance": st, "outlets": [], "articles": 0, "facts": 0})
            e["outlets"].append(r["outlet"])
            e["articles"] += r["articles"]
            e["facts"] += len(r["facts"])
        return list(by.values())

    def ledger(self) -> list[dict[str, Any]]:
        """The figures ledger as table bodies: one per quantity, its rows labelled
        as the other renderers label them, conflicts marked."""
        out = []
        for e in self.b.get("figures", []):
            rows = []
            if e.get("figures"):
                for r in e["figures"]:
                    fig = LedgerFigure(str(r.get("text") or ""), r.get("value"), r.get("low"), r.get("high"),
                                       kind=str(r.get("kind") or "reported"), note=r.get("note"))
                    rows.append({"label": figure_label(fig, _Counted(str(e.get("counted") or ""))),  # type: ignore[arg-type]
                                 "by": r.get("by"), "date": r.get("date"), "citations": r.get("citations") or [],
                                 "disputed": bool(r.get("disputed"))})
            else:  # a briefing from before the ledger had rows: one row per mention
                for v in e.get("values", []):
                    rows.append({"label": v.get("text"), "by": v.get("attribution"), "date": None,
                                 "citations": [v["citation"]] if v.get("citation") else [], "disputed": False})
            status = str(e.get("status") or "")
            conflict = status in ("conflict", "conflicting")
            out.append({"counted": e.get("counted"), "status": "conflict" if conflict else status,
                        "label": status_label(status), "conflict": conflict, "rows": rows})
        return out

    def changes(self) -> Any:
        """The "what changed" section of a briefing built with ``since``, if any."""
        return self.b.get("changes")

    def new_articles(self) -> list[dict[str, Any]]:
        """The articles that arrived since ``changes.since``, as the briefing lists them."""
        ids = set((self.changes() or {}).get("new_articles") or [])
        return [a for a in self.b.get("articles", []) if a.get("id") in ids]


@dataclass(frozen=True)
class _Counted:
    """What :func:`figure_label` reads of a ledger entry: its ``counted`` wording."""

    counted: str


def date_text(value: str | None) -> str:
    """A TIMEX3 value or ISO date as a reader's label."""
    return date_label(value) if value else ""


def dispute_label(kind: str) -> str:
    return DISPUTE_LABELS.get(kind, kind)


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def article_cited_by(b: dict[str, Any], article_id: str) -> dict[str, list[dict[str, Any]]]:
    """What the story's briefing takes from one article, section by section.

    Each item is ``{"text", "sentences", "what"}``; ``sentences`` are the
    article's cited sentence indices, so the article page can mark them.
    """

    def mine(cites: list[dict[str, Any]]) -> list[int]:
        return sorted({int(c["sentence_index"]) for c in cites or [] if c.get("article_id") == article_id})

    out: dict[str, list[dict[str, Any]]] = {
        "summary": [], "facts": [], "quotes": [], "figures": [], "timeline": [], "disputes": [],
    }  # fmt: skip
    for s in b.get("summary", []):
        if idx := mine(s.get("citations", [])):
            out["summary"].append({"text": s["text"], "sentences": idx, "what": "summary"})
    seen: set[int] = set()
    for group in ("corroborated", "single_source"):
        for f in b.get(group, []):
            if f.get("id") not in seen and (idx := mine(f.get("citations", []))):
                seen.add(f.get("id"))
                what = f"reported by {len(set(f.get('articles', [])))} article(s), {f.get('independent', 1)} independent"
                out["facts"].append({"text": f["text"], "sentences": idx, "what": what})
    for sp in b.get("speakers", []):
        for q in sp.get("quotes", []):
            if idx := mine(q.get("citations", [])):
                what = sp["speaker"] + (f", {sp['role']}" if sp.get("role") else "")
                out["quotes"].append({"text": q["text"], "sentences": idx, "what": what, "direct": q.get("direct")})
    for e in b.get("figures", []):
        rows = e.get("figures") or [
            {"text": v["text"], "by": v.get("attribution"), "citations": [v.get("citation", {})]}
            for v in e.get("values", [])
        ]
        for r in rows:
            if idx := mine(r.get("citations") or []):
                what = f"{e['counted']} ({status_label(e.get('status', ''))})"
                if r.get("by"):
                    what += f", given by {r['by']}"
                out["figures"].append({"text": r["text"], "sentences": idx, "what": what,
                                       "conflicting": e.get("status") in ("conflict", "conflicting")})
    for ev in b.get("timeline", []):
        if idx := mine(ev.get("citations", [])):
            out["timeline"].append({"text": ev["text"], "sentences": idx, "what": date_text(ev.get("date"))})
    for d in b.get("disputes", []):
        for side in d.get("sides", []):
            if idx := mine(side.get("citations", [])):
                out["disputes"].append(
                    {"text": side["statement"], "sentences": idx, "what": f"{dispute_label(d['kind'])}: {d['topic']}"}
                )
    return out
