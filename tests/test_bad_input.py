"""Bad, hostile and slow input, through the CLI as a user runs it.

Each case checks what a user sees: a message that names the input and the
fix, the rest of the batch stored, the exit code (0 ok, 1 some inputs failed,
2 usage) and never a traceback. Most cases run the installed ``newsweave``
entry point in a subprocess (a hang or a crash cannot take the test run with
it); the briefing cases run the same command in-process, so spaCy loads once.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsweave.cli import main

_EXE = Path(sys.executable).with_name("newsweave")
NW = [str(_EXE)] if _EXE.exists() else [sys.executable, "-m", "newsweave.cli"]

GOOD = "Dock workers in Tarrow walked out on Monday. The union said {n} members had stopped work.\n"


def nw(*args: str, stdin: bytes | None = None, timeout: float = 120, prefix: tuple[str, ...] = ()):
    """Run the real command; a traceback anywhere fails the test."""
    res = subprocess.run([*prefix, *NW, *args], input=stdin, capture_output=True, timeout=timeout)
    err = res.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err[-2000:]
    return res.returncode, res.stdout.decode("utf-8", "replace"), err


def brief(*args: str) -> tuple[int, str, str]:
    """``newsweave brief`` in-process (spaCy loads once per test run)."""
    res = CliRunner().invoke(main, ["brief", *args], catch_exceptions=False)
    assert "Traceback" not in res.output
    return res.exit_code, res.stdout, res.stderr


def good(path: Path, n: int) -> Path:
    path.write_text(GOOD.format(n=n), "utf-8")
    return path


def stored(db: Path, word: str = "Tarrow") -> int:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return int(conn.execute("SELECT count(*) FROM articles WHERE text LIKE ?", (f"%{word}%",)).fetchone()[0])


# ------------------------------------------------------------ encodings


def test_latin1_text_is_read_as_western_not_central_european(tmp_path: Path) -> None:
    text = "Señor García said the niño was in Málaga on Tuesday. The café stayed closed and the naïve plan failed.\n"
    f = tmp_path / "latin1.txt"
    f.write_bytes(text.encode("latin-1"))
    rc, out, _ = nw("summarize", str(f), "--words", "60")
    assert rc == 0
    for word in ("Señor García", "niño", "Málaga", "naïve"):
        assert word in out


def test_central_european_text_still_reads_as_such(tmp_path: Path) -> None:
    text = "Minister Zofia Łęcka powiedziała w środę, że łódź odpłynie o świcie z portu.\n"
    f = tmp_path / "pl.txt"
    f.write_bytes(text.encode("cp1250"))
    rc, out, _ = nw("summarize", str(f), "--words", "60")
    assert rc == 0 and "Łęcka" in out and "łódź" in out


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_byte_order_mark_is_text(tmp_path: Path, codec: str) -> None:
    f = tmp_path / "wide.txt"
    f.write_bytes(GOOD.format(n=304).encode(codec))
    db = tmp_path / "w.db"
    rc, out, err = nw("add", str(f), "--db", str(db))
    assert rc == 0, err
    assert stored(db) == 1


def test_file_name_with_an_undecodable_byte_is_stored(tmp_path: Path) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    name = os.fsencode(folder) + b"/caf\xe9.txt"
    with open(name, "wb") as fh:
        fh.write(GOOD.format(n=305).encode())
    db = tmp_path / "o.db"
    rc, out, err = nw("add", str(folder), "--db", str(db))
    assert rc == 0, err
    assert stored(db) == 1
    with contextlib.closing(sqlite3.connect(db)) as conn:
        (path,) = conn.execute("SELECT path FROM articles").fetchone()
    assert path.endswith("caf\\xe9.txt")  # the byte shown, not lost


# ------------------------------------------------------------ special files


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_fifo_and_dev_zero_link_are_skipped_and_the_rest_lands(tmp_path: Path) -> None:
    folder = tmp_path / "special"
    folder.mkdir()
    good(folder / "a.txt", 300)
    os.mkfifo(folder / "pipe.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    db = tmp_path / "s.db"
    rc, out, err = nw("add", str(folder), "--db", str(db), timeout=60)
    assert rc == 1
    assert "pipe.txt: is a named pipe (FIFO), not a regular file" in err
    assert "zero.txt: is a character device" in err and "/dev/zero" in err
    assert stored(db) == 1 and "1 added" in out


def _without_root_privileges() -> tuple[str, ...] | None:
    """A prefix that makes permissions count, or None when that is impossible here."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    return (setpriv, "--bounding-set=-dac_override,-dac_read_search") if setpriv else None


def test_unreadable_subfolder_is_reported_not_skipped_silently(tmp_path: Path) -> None:
    prefix = _without_root_privileges()
    if prefix is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    top = tmp_path / "locked"
    (top / "inner").mkdir(parents=True)
    good(top / "b.txt", 301)
    good(top / "inner" / "c.txt", 302)
    (top / "inner").chmod(0)
    try:
        rc, out, err = nw("add", str(top), "--db", str(tmp_path / "l.db"), prefix=prefix)
    finally:
        (top / "inner").chmod(0o755)
    assert rc == 1
    assert "inner: folder cannot be read (Permission denied)" in err and "permissions" in err
    assert "1 added" in out


# ------------------------------------------------------------ size limits


def test_endless_stdin_is_refused_cleanly() -> None:
    rc, out, err = nw("add", "-", "--max-article-size", "1MB", "--db", os.environ["NEWSWEAVE_DB"],
                      stdin=b"Dockers walked out on Monday.\n" * 120_000)  # fmt: skip
    assert rc == 1
    assert "<stdin>: is larger than the 1 MB limit for one article" in err and "--max-article-size" in err


def test_huge_jsonl_line_is_skipped_and_the_rest_lands(tmp_path: Path) -> None:
    f = tmp_path / "big.jsonl"
    with f.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "big", "text": "Dockers walked out. " * 150_000}) + "\n")
        fh.write(json.dumps({"id": "ok", "text": GOOD.format(n=303)}) + "\n")
    db = tmp_path / "b.db"
    rc, out, err = nw("add", str(f), "--max-article-size", "1MB", "--db", str(db))
    assert rc == 1
    assert "big.jsonl:1: line is longer than the 1 MB limit" in err
    assert stored(db) == 1


def test_size_limit_applies_to_single_files(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("The harbour was quiet. " * 100_000, "utf-8")
    rc, _, err = nw("add", str(big), str(good(tmp_path / "ok.txt", 306)), "--max-article-size", "1MB",
                    "--db", str(tmp_path / "f.db"))  # fmt: skip
    assert rc == 1 and "big.txt: is larger than the 1 MB limit" in err
    assert stored(tmp_path / "f.db") == 1


def test_a_bad_size_is_a_usage_error(tmp_path: Path) -> None:
    rc, _, err = nw("add", str(good(tmp_path / "ok.txt", 1)), "--max-article-size", "lots")
    assert rc == 2 and "10MB" in err


# ------------------------------------------------------------ JSONL fields


def test_nan_and_float_ids_are_refused_with_the_fix(tmp_path: Path) -> None:
    f = tmp_path / "ids.jsonl"
    f.write_text(
        '{"id": NaN, "text": "Cranes stood idle at Tarrow on Monday."}\n'
        '{"id": 2.5, "text": "Ferries were cancelled at Tarrow on Monday."}\n'
        '{"id": 7, "text": "Dockers in Tarrow met the mediator on Monday."}\n',
        "utf-8",
    )
    db = tmp_path / "n.db"
    rc, _, err = nw("add", str(f), "--db", str(db))
    assert rc == 1
    assert "ids.jsonl:1: field 'id' must be a string or an integer, got NaN" in err
    assert "ids.jsonl:2: field 'id' must be a string or an integer, got 2.5" in err
    with contextlib.closing(sqlite3.connect(db)) as conn:
        assert [r[0] for r in conn.execute("SELECT id FROM articles")] == ["7"]


# ------------------------------------------------------------ links and CSP


def _script_story(tmp_path: Path) -> Path:
    f = tmp_path / "js.jsonl"
    f.write_text(
        json.dumps({"id": "j1", "text": "The council met on Monday. It approved the budget.",
                    "title": "Budget", "url": "javascript:alert(1)"}) + "\n"
        + json.dumps({"id": "j2", "text": "Councillors met on Monday. They approved the budget.",
                      "title": "Budget passes", "url": "data:text/html;base64,PHNjcmlwdD4="}) + "\n"
        + json.dumps({"id": "j3", "text": "The city council approved its budget on Monday.",
                      "title": "Council budget", "url": "https://harborwire.example/budget"}) + "\n",
        "utf-8",
    )  # fmt: skip
    return f


def test_script_urls_never_become_links(tmp_path: Path) -> None:
    f = _script_story(tmp_path)
    rc, md, _ = brief(str(f), "--format", "markdown")
    assert rc == 0
    assert not re.search(r"\]\((javascript|data):|<(javascript|data):", md, re.I)
    assert "<https://harborwire.example/budget>" in md  # http(s) still links
    out = tmp_path / "js.html"
    rc, _, _ = brief(str(f), "--format", "html", "-o", str(out))
    page = out.read_text("utf-8")
    assert rc == 0
    assert not re.search(r'href="(javascript|data):', page, re.I)
    assert 'href="https://harborwire.example/budget"' in page


def test_html_export_csp_allows_only_its_own_script(tmp_path: Path) -> None:
    out = tmp_path / "b.html"
    rc, _, _ = brief(str(_script_story(tmp_path)), "--format", "html", "-o", str(out))
    page = out.read_text("utf-8")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "unsafe-inline" not in script_src and "default-src 'none'" in csp
    (script,) = re.findall(r"<script>(.*?)</script>", page, re.S)
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert script_src.strip() == f"'sha256-{digest}'"  # the hash of exactly this script


# ------------------------------------------------------------ URL fetching


class _Pages(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            if self.path == "/drip":  # one byte every 0.4 s, for ever
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                for _ in range(200):
                    self.wfile.write(b"a")
                    self.wfile.flush()
                    time.sleep(0.4)
                return
            body = GOOD.format(n=307).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_loopback_url_is_refused_by_default_and_allowed_by_flag(site: str, tmp_path: Path) -> None:
    db = tmp_path / "u.db"
    rc, _, err = nw("add", f"{site}/strike", "--db", str(db))
    assert rc == 1
    assert "127.0.0.1 a loopback address" in err and "--allow-private-urls" in err
    rc, out, err = nw("add", f"{site}/strike", "--allow-private-urls", "--db", str(db))
    assert rc == 0 and stored(db) == 1


def test_a_dripping_server_is_cut_off_at_the_deadline(site: str) -> None:
    t0 = time.monotonic()
    rc, _, err = nw("add", f"{site}/drip", "--allow-private-urls", "--fetch-deadline", "2")
    took = time.monotonic() - t0
    assert rc == 1 and "did not finish within the 2 s deadline" in err
    assert took < 15  # start-up plus the 2 s deadline, not 80 s of dripping


def test_metadata_address_is_refused_before_any_connection() -> None:
    rc, _, err = nw("add", "http://169.254.169.254/latest/meta-data/", timeout=30)
    assert rc == 1 and "link-local" in err


# ------------------------------------------------------------ the store


def _damaged_db(tmp_path: Path) -> Path:
    src = tmp_path / "many.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for i in range(300):
            text = f"Dockers in port {i} walked out on Monday after the strike. The union said {i} stopped work. "
            fh.write(json.dumps({"id": f"a{i}", "text": text * 3}) + "\n")
    db = tmp_path / "d.db"
    rc, _, err = nw("add", str(src), "--db", str(db))
    assert rc == 0, err
    size = db.stat().st_size
    with db.open("r+b") as fh:  # keep the header and schema page, damage the rest
        fh.seek(3 * 4096)
        fh.write(bytes((i * 131 + 17) % 256 for i in range(size - 3 * 4096)))
    return db


def test_damaged_database_is_reported_with_the_right_hint(tmp_path: Path) -> None:
    db = _damaged_db(tmp_path)
    for args in (["search", "strike"], ["brief"], ["brief", "-q", "strike"], ["add", str(good(tmp_path / "x.txt", 1))]):
        rc, _, err = nw(*args, "--db", str(db))
        assert rc == 1, args
        assert "is damaged" in err and "backup" in err, args
        assert "disk space" not in err, args


def test_random_bytes_with_an_sqlite_header_are_not_a_database(tmp_path: Path) -> None:
    db = tmp_path / "junk.db"
    db.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 700)
    rc, _, err = nw("search", "strike", "--db", str(db))
    assert rc == 1 and str(db) in err


def test_read_commands_do_not_create_a_database(tmp_path: Path) -> None:
    db = tmp_path / "nothere.db"
    rc, out, err = nw("search", "strike", "--db", str(db))
    assert rc == 2 and "no database at" in err and "newsweave add" in err
    rc, _, err = nw("brief", "--db", str(db))
    assert rc == 2 and "no database at" in err
    assert not db.exists()


@pytest.fixture(scope="module")
def hyphen_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hy")
    (folder / "a.txt").write_text("Monday: the cease-fire in Tarrow held through the night.\n", "utf-8")
    (folder / "b.txt").write_text("Tuesday: the ceasefire around Tarrow collapsed at dawn.\n", "utf-8")
    (folder / "c.txt").write_text("Wednesday: talks on a new cease fire began in Tarrow.\n", "utf-8")
    db = folder / "h.db"
    rc, _, err = nw("add", str(folder), "--db", str(db))
    assert rc == 0, err
    return db


@pytest.mark.parametrize("query", ["cease-fire", "ceasefire", "Cease-Fire", "title:cease-fire OR ceasefire"])
def test_hyphenated_and_closed_forms_find_each_other(hyphen_db: Path, query: str) -> None:
    rc, out, err = nw("search", query, "--db", str(hyphen_db), "--json")
    assert rc == 0, err
    found = {h["snippet"].split(":")[0] for h in json.loads(out)}
    assert found == {"Monday", "Tuesday", "Wednesday"}


def test_search_syntax_that_does_not_parse_searches_the_words(hyphen_db: Path) -> None:
    rc, out, err = nw("search", "(Tarrow OR", "--db", str(hyphen_db), "--json")
    assert rc == 0 and len(json.loads(out)) == 3


def test_older_store_gets_the_hyphen_index_on_open(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    rc, _, _ = nw("add", str(good(tmp_path / "x.txt", 1)), "--db", str(db))
    (tmp_path / "y.txt").write_text("The cease-fire held in Tarrow.\n", "utf-8")
    rc, _, _ = nw("add", str(tmp_path / "y.txt"), "--db", str(db))
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as conn:  # back to schema 1
        conn.execute("DROP TABLE compounds")
        conn.execute("DELETE FROM migrations WHERE version = 2")
    rc, out, err = nw("search", "ceasefire", "--db", str(db))
    assert rc == 0 and "cease-fire" in out.replace("**", "")


def test_brief_query_without_matches_says_so(hyphen_db: Path) -> None:
    rc, _, err = brief("--db", str(hyphen_db), "-q", "zzzz")
    assert rc == 1
    assert "no stored article matches 'zzzz'" in err and "no readable articles" not in err


# ------------------------------------------------------------ per-file commands


def test_quotes_on_one_very_long_line_uses_the_rules_and_says_so(tmp_path: Path) -> None:
    f = tmp_path / "oneline.txt"
    f.write_text(" ".join(["word"] * 220_000) + ' "We stay out," the union said.', "utf-8")
    rc, out, err = nw("quotes", str(f), "--json", timeout=240)
    assert rc == 0
    assert "over the 1,000,000-character limit for spaCy analysis" in err and "oneline.txt" in err
    assert isinstance(json.loads(out), list)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_per_file_command_on_a_fifo_does_not_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "p.txt")
    rc, out, err = nw("dates", str(tmp_path / "p.txt"), "--json", timeout=60)
    assert rc == 1 and json.loads(out) == [] and "named pipe" in err


def test_broken_pipe_is_quiet(hyphen_db: Path) -> None:
    """`newsweave search ... | head -0`: the reader leaves; no traceback."""
    proc = subprocess.Popen([*NW, "search", "Tarrow", "--db", str(hyphen_db)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in err
