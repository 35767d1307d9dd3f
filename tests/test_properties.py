"""Property tests for every reader and for the store round trip.

Any bytes or text in: a reader yields Articles (with storable, non-empty
text) or BadInput errors, and never raises anything else. Text that is valid
in its format comes back exactly, and through the store with the same offsets.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from newsweave.config import Settings
from newsweave.errors import BadInput, StoreError
from newsweave.ingest import read_bytes, read_inputs
from newsweave.ingest.decode import decode
from newsweave.ingest.feeds import iter_feed
from newsweave.ingest.files import capped_lines
from newsweave.ingest.html import parse_html
from newsweave.ingest.jsonl import iter_jsonl, iter_jsonl_lines
from newsweave.models import Article
from newsweave.store import Store

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)
PRINTABLE = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=300)
WORDS = st.lists(st.from_regex(r"[A-Za-z][a-z]{1,9}", fullmatch=True), min_size=8, max_size=60).map(" ".join)


def check(items: list[Article | BadInput]) -> list[Article]:
    """Every item is an Article with storable text or a BadInput that names a path."""
    arts = []
    for x in items:
        assert isinstance(x, (Article, BadInput)), type(x)
        if isinstance(x, Article):
            assert x.text.strip()
            x.text.encode("utf-8")  # no lone surrogates: the store can keep it
            for field in (x.title, x.source, x.url, x.id, x.path):
                if field is not None:
                    field.encode("utf-8")
            arts.append(x)
        else:
            assert str(x)
    return arts


# ------------------------------------------------------------------ decode


@FAST
@given(st.binary(max_size=600))
def test_decode_gives_text_or_bad_input(data: bytes) -> None:
    try:
        text = decode(data, "x.txt")
    except BadInput:
        return
    assert isinstance(text, str)
    text.encode("utf-8")


@FAST
@given(PRINTABLE)
def test_utf8_text_decodes_exactly(text: str) -> None:
    assume(not text.startswith("\ufeff"))  # a leading BOM is dropped, as it should be
    assert decode(text.encode("utf-8")) == text


@FAST
@given(st.text(alphabet="abcdefghij KLMNOP.,", min_size=4, max_size=200), st.sampled_from(["utf-16-le", "utf-16-be", "utf-16", "utf-32"]))
def test_wide_encodings_decode_with_or_without_bom(text: str, codec: str) -> None:
    assume(text.strip())
    assert decode(text.encode(codec)) == text


# ------------------------------------------------------------------ any bytes, every reader


@FAST
@given(st.binary(max_size=800), st.sampled_from(["a.txt", "a.html", "a.jsonl", "a.rss", "a.json", "a", "a.md"]))
def test_read_bytes_never_raises(data: bytes, name: str) -> None:
    check(list(read_bytes(data, name)))


@SLOW
@given(st.binary(max_size=800), st.sampled_from([".txt", ".jsonl", ".html", ".xml", ""]))
def test_read_file_never_raises(tmp_path_factory, data: bytes, ext: str) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path_factory.mktemp("f") / f"input{ext}"
    f.write_bytes(data)
    check(list(read_inputs([str(f)], settings=Settings(max_article_size=300))))


# ------------------------------------------------------------------ JSONL


RECORD = st.fixed_dictionaries(
    {"text": PRINTABLE}, optional={"id": st.text(max_size=20) | st.integers(), "title": TEXT}
)


@FAST
@given(st.lists(RECORD, min_size=1, max_size=5))
def test_jsonl_records_come_back_exactly(records: list[dict]) -> None:  # type: ignore[type-arg]
    assume(all(r["text"].strip() for r in records))
    lines = "\n".join(json.dumps(r, ensure_ascii=bool(len(records) % 2)) for r in records)
    arts = check(list(iter_jsonl(lines, "a.jsonl")))
    assert [a.text for a in arts] == [r["text"] for r in records]
    streamed = check(list(iter_jsonl_lines(io.BytesIO(lines.encode()), "a.jsonl", max_size=10_000)))
    assert streamed == arts


@FAST
@given(TEXT)
def test_any_jsonl_text_gives_articles_or_errors(text: str) -> None:
    check(list(iter_jsonl(text, "a.jsonl", max_size=200)))


@FAST
@given(st.lists(st.binary(max_size=60).map(lambda b: b.replace(b"\n", b"")), max_size=8), st.integers(1, 40))
def test_capped_lines_keep_short_lines_and_mark_long_ones(lines: list[bytes], limit: int) -> None:
    data = b"".join(line + b"\n" for line in lines)
    got = list(capped_lines(io.BytesIO(data), limit))
    assert got == [line + b"\n" if len(line) + 1 <= limit + 1 else None for line in lines]


# ------------------------------------------------------------------ feeds and HTML


@SLOW
@given(st.lists(st.tuples(PRINTABLE, WORDS), min_size=1, max_size=4), st.booleans())
def test_feed_entries_come_back(entries: list[tuple[str, str]], atom: bool) -> None:
    if atom:
        items = "".join(f"<entry><title>{xml_escape(t)}</title><summary>{xml_escape(b)}</summary></entry>"
                        for t, b in entries)  # fmt: skip
        doc = f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>W</title>{items}</feed>'
    else:
        items = "".join(f"<item><title>{xml_escape(t)}</title><description>{xml_escape(b)}</description></item>"
                        for t, b in entries)  # fmt: skip
        doc = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>W</title>{items}</channel></rss>'
    arts = check(list(iter_feed(doc.encode("utf-8"), "w.rss")))
    assert [a.text for a in arts] == [b for _, b in entries]


@SLOW
@given(st.binary(max_size=1500))
def test_any_feed_bytes_give_articles_or_errors(data: bytes) -> None:
    check(list(iter_feed(b'<?xml version="1.0"?><rss version="2.0"><channel>' + data, "f.rss")))


@SLOW
@given(TEXT, st.lists(WORDS, min_size=1, max_size=4))
def test_html_gives_an_article_or_an_error(noise: str, paragraphs: list[str]) -> None:
    body = "".join(f"<p>{xml_escape(p)}.</p>" for p in paragraphs)
    page = f"<html><head><title>{xml_escape(noise)}</title></head><body><article>{body}</article>{noise}</body></html>"
    try:
        arts = check([parse_html(page, path="p.html")])
    except BadInput:
        return
    assert arts[0].text.strip()


# ------------------------------------------------------------------ the store


@SLOW
@given(PRINTABLE, st.sampled_from(["\n", "\r\n"]))
def test_file_to_store_round_trip_keeps_text_and_offsets(tmp_path_factory, text: str, newline: str) -> None:  # type: ignore[no-untyped-def]
    assume(text.strip() and not text.startswith("\ufeff"))
    raw = (text.replace("\n", newline) + newline).encode("utf-8")
    f = tmp_path_factory.mktemp("rt") / "a.txt"
    f.write_bytes(raw)
    items = list(read_inputs([str(f)]))
    arts = check(items)
    if not arts:
        return  # e.g. a lone "date 2024-01-01" line: refused, with a reason
    (art,) = arts
    assert art.text == raw.decode("utf-8")
    with Store.open(":memory:") as s:
        assert s.add([art]).added == 1
        back = s.get(art.id)
        assert back is not None and back.text == art.text
        for sent in s.sentences(art.id):
            assert back.text[sent.start : sent.end] == sent.text


@FAST
@given(st.text(max_size=40).filter(lambda q: q.strip()))
def test_any_search_query_runs(query: str) -> None:
    with Store.open(":memory:") as s:
        s.add([Article("The cease-fire at Velmora held; dockers went back on Monday.", title="Truce")], split=False)
        try:
            hits = s.search(query)
        except StoreError as exc:  # only for a query with no word at all
            raise AssertionError(f"{query!r}: {exc}") from None
        assert all(h.title == "Truce" for h in hits)


def test_paths_are_stored_even_when_not_utf8(tmp_path: Path) -> None:
    import os

    name = os.fsencode(tmp_path) + b"/r\xe9sum\xe9.txt"
    with open(name, "wb") as fh:
        fh.write(b"Dockers walked out at Velmora on Monday.")
    (art,) = check(list(read_inputs([os.fsdecode(name)])))
    assert art.path is not None and art.path.endswith("r\\xe9sum\\xe9.txt")
