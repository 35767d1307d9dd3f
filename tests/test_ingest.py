"""Ingest: every format, the seed conventions, encodings, broken files, batches.

Fixtures under tests/data/ingest/ are fictional reports we wrote ourselves;
encoded and binary files are made at run time so no editor can re-encode them.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsweave.errors import BadInput
from newsweave.ingest import expand_inputs, read_bytes, read_file, read_inputs
from newsweave.ingest.decode import decode
from newsweave.ingest.html import looks_truncated, parse_html
from newsweave.ingest.text import infer_outlet, outlet_from_url, parse_text
from newsweave.models import Article
from newsweave.store import Store

DATA = Path(__file__).parent / "data" / "ingest"
STORY = DATA / "story"
BROKEN = DATA / "broken"


def articles_and_errors(inputs: list[str]) -> tuple[list[Article], list[BadInput]]:
    arts: list[Article] = []
    errs: list[BadInput] = []
    for item in read_inputs(inputs):
        (errs if isinstance(item, BadInput) else arts).append(item)  # type: ignore[arg-type]
    return arts, errs


def one(path: Path | str) -> Article:
    items = list(read_inputs([str(path)]))
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


# ------------------------------------------------------------ plain text


def test_inline_date_prefix_and_wire_dateline() -> None:
    a = one(STORY / "dateline.txt")
    assert a.text == (STORY / "dateline.txt").read_text("utf-8")  # exactly as read: offsets hold
    assert a.published == "2031-04-08"
    assert a.source == "Reuters"
    assert a.title is None  # the first line is a sentence, not a headline
    assert a.format == "text" and a.path == str(STORY / "dateline.txt")


def test_headline_standfirst_source_line_captions_and_read_more() -> None:
    a = one(STORY / "headline.txt")
    assert a.title == "Velmora port at a standstill as strike enters second day"
    assert a.source == "Coastal Ledger"  # from "Source: Coastal Ledger, News Agencies"
    assert a.published is None
    # boilerplate stays in the text; the sentence splitter flags it
    assert a.text.count("READ MORE:") == 2
    assert a.text.count("Dockers picket the main gate of Velmora port (Coastal Ledger Photo)") == 2
    from newsweave.analyze.sentences import split_sentences

    flagged = {s.text for s in split_sentences(a) if s.boilerplate}
    assert "READ MORE: Velmora dockers vote to strike" in flagged
    assert "Dockers picket the main gate of Velmora port (Coastal Ledger Photo)" in flagged


def test_date_as_its_own_first_line() -> None:
    a = one(STORY / "nested" / "date-line.md")
    assert a.published == "2031-04-10"
    assert a.title == "Talks resume in Velmora port dispute"


def test_crlf_text_is_kept_exactly(tmp_path: Path) -> None:
    f = tmp_path / "crlf.txt"
    f.write_bytes(b"date 2031-04-08\r\nPort closed\r\n\r\nCranes stood idle.\r\n\r\nShips waited.\r\n")
    a = one(f)
    assert a.text == f.read_bytes().decode("utf-8")
    assert (a.published, a.title) == ("2031-04-08", "Port closed")


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("Cranes idle.\n\nSource: Orlin Radio", "Orlin Radio"),
        ("Cranes idle.\n\nSources: Orlin Radio and agencies\n", "Orlin Radio"),
        ("VELMORA (AP) — Dockers walked out.", "AP"),
        ("VELMORA, April 8 (Reuters) - Dockers walked out.", "Reuters"),
        ("date 2031-04-08 VELMORA (Harbor Wire) - Dockers walked out.", "Harbor Wire"),
        ("Marek told Coastal Ledger on Monday. Sels told Coastal Ledger that it was over.", "Coastal Ledger"),
        # agency copy inside a piece is not its outlet
        ("Marek told AFP on Monday. Sels told AFP that it was over.", None),
        ("He told Reuters in a call. She told Reuters, too.", None),
        # once may be a person
        ("The mayor told Ilsa Brandt on Monday that the port would reopen.", None),
        # a Source: line in the middle of the text is a quote's source, not the outlet
        ("Source: a union official said the talks failed.\n\n" + "More text follows here.\n" * 5, None),
        ("Photo caption with credit (Reuters)\n\nThe strike went on.", None),
    ],
)
def test_infer_outlet(text: str, outlet: str | None) -> None:
    assert infer_outlet(text) == outlet


def test_outlet_falls_back_to_url_domain_and_metadata_wins() -> None:
    assert parse_text("Cranes idle.", url="https://www.orlinradio.example/a").source == "orlinradio.example"
    assert parse_text("Cranes idle.\n\nSource: Orlin Radio", url="https://x.example/").source == "Orlin Radio"
    assert parse_text("Cranes idle.\n\nSource: Orlin Radio", source="Given").source == "Given"
    assert outlet_from_url(None) is None


def test_bad_date_line_names_the_fix() -> None:
    with pytest.raises(BadInput, match="date YYYY-MM-DD"):
        parse_text("date 2031-02-30 The port closed.", path="x.txt")


@settings(max_examples=150, deadline=None)
@given(st.text(min_size=1, max_size=400))
def test_parse_text_keeps_text_exactly_or_refuses(text: str) -> None:
    try:
        a = parse_text(text, path="p.txt")
    except BadInput as exc:
        assert exc.path == "p.txt"
        return
    assert a.text == text
    assert a.title is None or a.title in text


# ------------------------------------------------------------- encodings


def test_cp1252_file(tmp_path: Path) -> None:
    f = tmp_path / "legacy.txt"
    text = "The café owner said “we are closed” on Tuesday – for the first time since 2019."
    f.write_bytes(text.encode("cp1252"))
    assert one(f).text == text


def test_latin1_file(tmp_path: Path) -> None:
    f = tmp_path / "latin1.txt"
    text = "Der Bürgermeister von Velmora sagte am Dienstag, die Fähre fahre wieder nach Orlin."
    f.write_bytes(text.encode("latin-1"))
    assert one(f).text == text


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-32"])
def test_byte_order_marks(tmp_path: Path, codec: str) -> None:
    f = tmp_path / "bom.txt"
    f.write_bytes("date 2031-04-08 Ships waited at Velmora’s port.".encode(codec))
    a = one(f)
    assert a.text == "date 2031-04-08 Ships waited at Velmora’s port."
    assert a.published == "2031-04-08"


def test_decode_refuses_damaged_utf8() -> None:
    data = "He said “no”.".encode() + b"\xff\xfe broken" + "“yes”".encode()
    with pytest.raises(BadInput, match=r"x\.txt: is UTF-8 with invalid bytes.*re-save it as UTF-8"):
        decode(data, "x.txt")


# --------------------------------------------------------------------- HTML


def test_html_page() -> None:
    a = one(STORY / "page.html")
    assert a.format == "html"
    assert a.title == "Velmora dockers end strike"
    assert a.source == "The Orlin Courier"
    assert a.published == "2031-04-11"  # a future date is still a date
    assert a.byline == "Ana Rivas"
    assert "agreed a new night-shift rate" in a.text and "Teo Marek" in a.text
    assert "Weather" not in a.text and "All rights reserved" not in a.text


def test_html_outlet_from_url_when_no_site_name() -> None:
    page = (
        "<html><head><title>Ferries cancelled</title></head><body><article>"
        "<p>Ferry crossings to Orlin Island were cancelled on Tuesday because of the dock strike, "
        "the ferry company said in a short statement posted at the terminal.</p>"
        "<p>Passengers were told to expect delays for the rest of the week.</p>"
        "</article></body></html>"
    )
    a = parse_html(page, url="https://www.portnews.example/ferries")
    assert a.source == "portnews.example"
    assert a.url == "https://www.portnews.example/ferries"


def test_html_without_article_text() -> None:
    page = "<html><body><nav><a href='/'>Home</a></nav></body></html>"
    with pytest.raises(BadInput, match="no article text"):
        parse_html(page, path="index.html")


def test_truncated_html() -> None:
    page = (STORY / "page.html").read_text("utf-8")
    assert not looks_truncated(page)
    for cut in (200, 700, len(page) - 20):
        assert looks_truncated(page[:cut])
    items = list(read_inputs([str(BROKEN / "truncated.html")]))
    assert len(items) == 1 and isinstance(items[0], BadInput)
    assert "truncated.html" in str(items[0]) and "complete page" in str(items[0])


# -------------------------------------------------------------------- JSONL


def test_jsonl_fields() -> None:
    arts, errs = articles_and_errors([str(STORY / "articles.jsonl")])
    assert errs == []
    a, b, c = arts
    assert (a.id, a.title, a.source, a.url, a.published, a.story) == (
        "ow-1",
        "Orlin ferries cancelled",
        "Orlin Radio",
        "https://orlinradio.example/ferries",
        "2031-04-08",
        "velmora-strike",
    )
    assert b.id == b.hash and b.published == "2031-04-10T16:45:00+02:00"
    assert c.id == "7" and c.source == "portnews.example"  # numeric id, outlet from the URL
    assert [x.path for x in arts] == [f"{STORY / 'articles.jsonl'}:{n}" for n in (1, 2, 4)]
    assert all(x.format == "jsonl" for x in arts)


def test_bad_jsonl_lines_are_reported_and_the_rest_loads() -> None:
    arts, errs = articles_and_errors([str(BROKEN / "bad-lines.jsonl")])
    assert [a.id for a in arts] == ["ok-1", "ok-2"]
    where = [e.path for e in errs]
    assert where == [f"{BROKEN / 'bad-lines.jsonl'}:{n}" for n in (2, 3, 4, 5)]
    assert "invalid JSON" in str(errs[0]) and "column 55" in str(errs[0])
    assert "got a JSON list" in str(errs[1])
    assert "'text'" in str(errs[2])
    assert "not a real date" in str(errs[3])


def test_jsonl_streaming_matches_in_memory() -> None:
    path = str(BROKEN / "bad-lines.jsonl")
    streamed = [str(x) if isinstance(x, BadInput) else x for x in read_file(path)]
    whole = [str(x) if isinstance(x, BadInput) else x for x in read_bytes(Path(path).read_bytes(), path)]
    assert streamed == whole


def test_jsonl_line_that_is_not_utf8(tmp_path: Path) -> None:
    f = tmp_path / "mixed.jsonl"
    f.write_bytes(b'{"text": "Good line."}\n{"text": "caf\xe9"}\n{"text": "Another good line."}\n')
    arts, errs = articles_and_errors([str(f)])
    assert [a.text for a in arts] == ["Good line.", "Another good line."]
    assert len(errs) == 1 and errs[0].path == f"{f}:2" and "UTF-8" in str(errs[0])


def test_json_array_file(tmp_path: Path) -> None:
    f = tmp_path / "batch.json"
    f.write_text('[{"text": "First report.", "source": "Orlin Radio"}, {"title": "no text"}]', "utf-8")
    arts, errs = articles_and_errors([str(f)])
    assert [a.source for a in arts] == ["Orlin Radio"]
    assert [e.path for e in errs] == [f"{f}[2]"]


# -------------------------------------------------------------------- feeds


def test_rss_feed() -> None:
    arts, errs = articles_and_errors([str(STORY / "wire.rss")])
    assert [a.title for a in arts] == [
        "Velmora strike: ships wait offshore",
        "Velmora dockers vote to strike",
    ]
    a = arts[0]
    assert (a.source, a.published, a.format) == ("Harbor Wire", "2031-04-09T10:15:00", "feed")
    assert a.url == "https://harborwire.example/2031/04/09/velmora-ships"
    assert a.text.splitlines()[0] == "Fourteen ships were waiting to berth at Velmora on Wednesday."
    assert "pay & conditions" in arts[1].text
    assert len(errs) == 1 and errs[0].path == f"{STORY / 'wire.rss'}#entry3"


def test_atom_feed() -> None:
    (a,) = [x for x in read_inputs([str(STORY / "ledger.atom")])]
    assert isinstance(a, Article)
    assert (a.source, a.title, a.published) == (
        "Coastal Ledger",
        "Union and port authority to meet",
        "2031-04-10T11:00:00",
    )
    assert a.text.split("\n\n") == [
        "The union and the Velmora port authority will meet on Thursday, mediator Ilsa Brandt said.",
        "Neither side would comment.",
    ]


def test_feed_in_a_declared_legacy_encoding(tmp_path: Path) -> None:
    f = tmp_path / "legacy.xml"
    xml = (
        '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Radio Orlin</title>'
        "<item><title>Fähre</title><description>Die Fähre fährt wieder.</description></item></channel></rss>"
    )
    f.write_bytes(xml.encode("latin-1"))
    (a,) = list(read_inputs([str(f)]))
    assert isinstance(a, Article) and a.text == "Die Fähre fährt wieder." and a.title == "Fähre"


def test_broken_feed(tmp_path: Path) -> None:
    f = tmp_path / "broken.rss"
    f.write_text("<rss><channel><title>Half a feed", "utf-8")
    (e,) = list(read_inputs([str(f)]))
    assert isinstance(e, BadInput) and e.path == str(f)


# ------------------------------------------------- folders, globs, stdin


def test_folder_is_read_recursively_in_a_stable_order(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "deep.txt").write_text("Deep report.", "utf-8")
    (tmp_path / "top.txt").write_text("Top report.", "utf-8")
    (tmp_path / ".hidden.txt").write_text("Hidden.", "utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("Git internals.", "utf-8")
    (tmp_path / "README.md").write_text("About this folder.", "utf-8")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    found = list(expand_inputs([str(tmp_path)]))
    assert found == [str(tmp_path / "a" / "b" / "deep.txt"), str(tmp_path / "top.txt")]


def test_glob_and_missing_paths(tmp_path: Path) -> None:
    arts, errs = articles_and_errors(
        [str(STORY / "*.txt"), str(tmp_path / "*.none"), str(tmp_path / "gone.txt")]
    )
    assert sorted(Path(a.path or "").name for a in arts) == ["dateline.txt", "headline.txt"]
    assert [e.path for e in errs] == [str(tmp_path / "*.none"), str(tmp_path / "gone.txt")]
    assert "no files match" in str(errs[0]) and "no such file" in str(errs[1])


def test_empty_folder(tmp_path: Path) -> None:
    (e,) = list(read_inputs([str(tmp_path)]))
    assert isinstance(e, BadInput) and "holds no" in str(e)


@pytest.mark.parametrize(
    ("data", "check"),
    [
        (b'{"text": "From a pipe.", "source": "Orlin Radio"}\n', lambda a: a.source == "Orlin Radio"),
        (b"date 2031-04-08 From a pipe.", lambda a: a.published == "2031-04-08" and a.format == "text"),
        ((STORY / "page.html").read_bytes(), lambda a: a.format == "html"),
        ((STORY / "wire.rss").read_bytes(), lambda a: a.format == "feed"),
    ],
)
def test_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes, check) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    a = next(iter(read_inputs(["-"])))
    assert isinstance(a, Article) and a.path is not None and a.path.startswith("<stdin>") and check(a)


# ------------------------------------------------------ broken batch


def _broken_batch(tmp_path: Path) -> Path:
    """A folder mixing good articles with every kind of broken file."""
    import shutil

    folder = tmp_path / "batch"
    shutil.copytree(STORY, folder / "story")
    shutil.copytree(BROKEN, folder / "broken")
    (folder / "broken" / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "broken" / "damaged.txt").write_bytes("A “quoted” line.".encode() + b"\xc3\x28 and more.")
    (folder / "broken" / "blank.html").write_text("   \n", "utf-8")
    return folder


def test_broken_files_each_report_and_the_batch_lands(tmp_path: Path) -> None:
    folder = _broken_batch(tmp_path)
    arts, errs = articles_and_errors([str(folder)])
    good, _ = articles_and_errors([str(STORY)])
    assert len(arts) == len(good) + 2  # plus ok-1 and ok-2 from bad-lines.jsonl
    by_name = {Path((e.path or "").split("#")[0].split(":")[0]).name: str(e) for e in errs}
    assert "binary" in by_name["image.txt"]
    assert "re-save it as UTF-8" in by_name["damaged.txt"]
    assert "empty" in by_name["empty.txt"] and "empty" in by_name["blank.html"]
    assert "no article text" in by_name["date-only.txt"]
    assert "cut-off" in by_name["truncated.html"]
    assert "bad-lines.jsonl" in by_name
    assert all(e.path for e in errs)  # every error names its input


def test_broken_batch_into_the_store(tmp_path: Path) -> None:
    folder = _broken_batch(tmp_path)
    with Store.open(":memory:") as store:
        result = store.add(read_inputs([str(folder)]))
        arts, errs = articles_and_errors([str(folder)])
        assert (result.added, result.failed) == (len(arts), len(errs))
        again = store.add(read_inputs([str(folder)]))
        assert (again.added, again.skipped_existing) == (0, len(arts))
        assert store.search("Velmora")


def test_html_meta_charset_is_honoured(tmp_path: Path) -> None:
    text = "Minister Zofia Łęcka powiedziała w środę, że łódź odpłynie o świcie z portu w Gdańsku."
    page = (
        '<html><head><meta charset="windows-1250"><title>Port</title></head><body><article>'
        f"<p>{text}</p><p>Rozmowy trwają, a statki czekają na redzie od wtorku.</p></article></body></html>"
    )
    f = tmp_path / "pl.html"
    f.write_bytes(page.encode("cp1250"))
    assert text in one(f).text


def test_xml_that_is_not_a_feed(tmp_path: Path) -> None:
    f = tmp_path / "sitemap.xml"
    f.write_text('<?xml version="1.0"?><urlset><url><loc>https://x.example/</loc></url></urlset>', "utf-8")
    (e,) = list(read_inputs([str(f)]))
    assert isinstance(e, BadInput) and "not an RSS or Atom feed" in str(e)


def test_text_opening_with_a_bracket_is_not_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        sys, "stdin", io.TextIOWrapper(io.BytesIO(b"[Updated] The ferry sailed again on Friday."))
    )
    (a,) = list(read_inputs(["-"]))
    assert isinstance(a, Article) and a.format == "text"


def test_oversize_file_is_refused_but_jsonl_streams(tmp_path: Path) -> None:
    from newsweave.config import Settings

    small = Settings(max_article_size=100)
    big = tmp_path / "big.txt"
    big.write_text("The harbour was quiet. " * 20, "utf-8")
    (e,) = list(read_inputs([str(big)], settings=small))
    assert isinstance(e, BadInput) and "limit" in str(e) and "JSONL" in str(e)
    lines = tmp_path / "big.jsonl"
    lines.write_text('{"text": "The harbour was quiet today."}\n' * 20, "utf-8")
    assert sum(isinstance(x, Article) for x in read_inputs([str(lines)], settings=small)) == 20
