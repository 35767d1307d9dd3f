"""The story's timeline picture: articles per day by outlet, dated events below,
on one day axis. Server-rendered SVG, so it reads without JavaScript.

Built from the briefing JSON alone (``articles[].published``/``source`` and
``timeline[].first_day``/``last_day``), like every other view of the story.
Colours come from CSS classes (``o0`` ... ``o7``), never inline styles, so the
page's Content-Security-Policy can forbid them. Every text from an article
goes through :func:`html.escape`.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from newsweave.render.common import date_label

__all__ = ["Picture", "timeline_picture"]

WIDTH, LEFT, RIGHT = 760, 52, 12
BARS_H, AXIS_GAP, ROW_H, MAX_ROWS = 110, 40, 22, 4
N_COLOURS = 7  # outlets beyond the 7 biggest share the "other" colour
# Events this far outside the story's articles (a 2003 precedent in a 2026
# story) would squash the axis: they are counted and left to the list.
MARGIN_DAYS = 21


def esc(value: object) -> str:
    """Escape for SVG text and attributes ("=" too, like the pages' text)."""
    return html.escape("" if value is None else str(value), quote=True).replace("=", "&#61;")


@dataclass(frozen=True)
class Picture:
    """The SVG markup (escaped), the legend rows and what was left out."""

    svg: str
    legend: list[tuple[str, str, int]] = field(default_factory=list)  # (css class, outlet, articles)
    left_out: int = 0
    days: int = 0


def _day(value: object) -> date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _outlet(a: dict[str, Any]) -> str:
    return str(a.get("source") or "Unknown outlet")


def timeline_picture(b: dict[str, Any]) -> Picture:
    """The picture of one briefing (an empty picture when nothing is dated).

    >>> b = {"articles": [{"published": "2026-03-09", "source": "Harbor Wire"},
    ...                   {"published": "2026-03-10", "source": "<b>Tribune</b>"}],
    ...      "timeline": [{"first_day": "2026-03-09", "last_day": "2026-03-09", "date": "2026-03-09",
    ...                    "text": "Dockers walked out."}]}
    >>> p = timeline_picture(b)
    >>> "<svg" in p.svg and "<b>" not in p.svg and "&lt;b&gt;Tribune" in p.svg, p.days
    (True, 4)
    """
    articles = [(d, _outlet(a)) for a in b.get("articles", []) if (d := _day(a.get("published")))]
    events: list[tuple[int, date, date, dict[str, Any]]] = []
    for i, ev in enumerate(b.get("timeline", []), 1):
        a, z = _day(ev.get("first_day")), _day(ev.get("last_day"))
        if a and z and (z - a).days <= 31:
            events.append((i, a, z, ev))
    if not articles and not events:
        return Picture("")
    if articles:
        lo_a, hi_a = min(d for d, _ in articles), max(d for d, _ in articles)
    else:
        mids = sorted(a + (z - a) / 2 for _, a, z, _ in events)
        lo_a = hi_a = mids[len(mids) // 2]
    window = (lo_a - timedelta(days=MARGIN_DAYS), hi_a + timedelta(days=MARGIN_DAYS))
    kept = [e for e in events if e[1] >= window[0] and e[2] <= window[1]]
    left_out = len(b.get("timeline", [])) - len(kept)
    lo = min([lo_a] + [a for _, a, _, _ in kept]) - timedelta(days=1)
    hi = max([hi_a] + [z for _, _, z, _ in kept]) + timedelta(days=1)
    n_days = (hi - lo).days + 1
    scale = (WIDTH - LEFT - RIGHT) / n_days

    def x(d: date, frac: float = 0.5) -> float:
        return LEFT + ((d - lo).days + frac) * scale

    # Outlets by size: the biggest get their own colour.
    sizes = Counter(o for _, o in articles)
    order = [o for o, _ in sizes.most_common()]
    cls = {o: f"o{i}" if i < N_COLOURS else "o7" for i, o in enumerate(order)}
    legend = [(cls[o], o, sizes[o]) for o in order[:N_COLOURS]]
    if len(order) > N_COLOURS:
        legend.append(("o7", f"{len(order) - N_COLOURS} other outlets", sum(sizes[o] for o in order[N_COLOURS:])))

    parts: list[str] = []
    top = 18
    base = top + BARS_H
    per_day: dict[date, Counter[str]] = {}
    for d, o in articles:
        per_day.setdefault(d, Counter())[o] += 1
    most = max((sum(c.values()) for c in per_day.values()), default=0)
    if most:
        unit = BARS_H / most
        parts.append(f'<text class="ylabel" x="{LEFT - 6}" y="{top + 4}" text-anchor="end">{most}</text>')
        parts.append(f'<text class="ylabel" x="{LEFT - 6}" y="{base}" text-anchor="end">0</text>')
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{top}" y2="{top}"/>')
        bw = max(1.0, scale * 0.72)
        for d in sorted(per_day):
            y = float(base)
            for o in order:
                n = per_day[d].get(o, 0)
                if not n:
                    continue
                h = n * unit
                y -= h
                tip = f"{date_label(d.isoformat())}: {o}, {n} article{'s' if n != 1 else ''}"
                parts.append(
                    f'<rect class="bar {cls[o]}" x="{x(d) - bw / 2:.1f}" y="{y:.1f}" width="{bw:.1f}" '
                    f'height="{h:.1f}"><title>{esc(tip)}</title></rect>'
                )
    parts.append(f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{base}" y2="{base}"/>')

    # Events stack in rows under the axis; past MAX_ROWS a "+n" stands in.
    ev_top = base + AXIS_GAP
    stack: dict[date, int] = {}
    hidden: Counter[date] = Counter()
    rows_used = 0
    for i, a, z, ev in kept:
        span_days = [a + timedelta(days=k) for k in range((z - a).days + 1)]
        row = max(stack.get(d, 0) for d in span_days)
        centre = a + (z - a) / 2
        if row >= MAX_ROWS:
            hidden[centre] += 1
            continue
        for d in span_days:
            stack[d] = row + 1
        rows_used = max(rows_used, row + 1)
        cy = ev_top + 12 + row * ROW_H
        label = esc(f"{date_label(str(ev.get('date') or a.isoformat()))}: {ev.get('text') or ''}")
        shape = ""
        if z > a:
            shape = (
                f'<rect class="ev-span" x="{x(a, 0.1):.1f}" y="{cy - 8}" '
                f'width="{(z - a).days * scale + 0.8 * scale:.1f}" height="16" rx="8"/>'
            )
        parts.append(
            f'<a href="#t-{i}" aria-label="{label}"><title>{label}</title>{shape}'
            f'<circle class="ev" cx="{x(centre):.1f}" cy="{cy}" r="9"/>'
            f'<text class="evlabel" x="{x(centre):.1f}" y="{cy + 3.5}" text-anchor="middle">{i}</text></a>'
        )
    for d, n in hidden.items():
        parts.append(
            f'<text class="ticklabel" x="{x(d):.1f}" y="{ev_top + 16 + MAX_ROWS * ROW_H}" '
            f'text-anchor="middle">+{n}</text>'
        )
        rows_used = MAX_ROWS + 1
    height = ev_top + max(rows_used, 1) * ROW_H + 8
    if kept:
        parts.append(f'<text class="lane" x="{LEFT - 6}" y="{ev_top + 16}" text-anchor="end">events</text>')

    # Day ticks: every day when there is room, else Mondays, else month starts.
    step = "day" if scale >= 18 else ("week" if scale >= 4 else "month")
    last_month = None
    d = lo + timedelta(days=1)
    while d < hi:
        show = step == "day" or (step == "week" and d.weekday() == 0) or (step == "month" and d.day == 1)
        if show:
            cx = f"{x(d):.1f}"
            parts.append(f'<line class="tick" x1="{cx}" x2="{cx}" y1="{base}" y2="{base + 5}"/>')
            parts.append(
                f'<text class="ticklabel" x="{cx}" y="{base + 17}" text-anchor="middle">{d.day}</text>'
            )
        if d.month != last_month:
            parts.append(
                f'<text class="monthlabel" x="{x(d, 0):.1f}" y="{base + 31}" text-anchor="start">{d:%b %Y}</text>'
            )
            last_month = d.month
        d += timedelta(days=1)

    desc = (
        f"Articles per day by outlet: {len(articles)} dated article(s) from {lo_a.isoformat()} "
        f"to {hi_a.isoformat()}; {len(kept)} dated event(s) marked below the same days"
        + (f"; {left_out} event(s) outside this range are in the list" if left_out else "")
    )
    svg = (
        f'<svg class="story-timeline" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="stl-title stl-desc"><title id="stl-title">How the story developed</title>'
        f'<desc id="stl-desc">{esc(desc)}</desc>{"".join(parts)}</svg>'
    )
    return Picture(svg, legend, left_out, n_days)
