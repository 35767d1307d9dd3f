"""Quotes and speakers on fictional text we wrote (no outlet's copy)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from newsweave.analyze import nlp as nlp_mod
from newsweave.analyze.quotes import extract_quotes, quote_spans, quotes_json
from newsweave.cli import main as cli_main
from newsweave.ingest.text import parse_text
from newsweave.models import Article

needs_spacy = pytest.mark.skipif(not nlp_mod.nlp_available(), reason="spaCy extra not installed")


def _quotes(text: str):
    return extract_quotes(Article(text))


def _by_content(text: str, quotes, needle: str):
    for q in quotes:
        if needle in text[q.content[0] : q.content[1]]:
            return q
    raise AssertionError(f"no quote contains {needle!r}: {[text[q.content[0]:q.content[1]] for q in quotes]}")


# ------------------------------------------------------------------ quotation marks
@pytest.mark.parametrize(
    "quoted",
    [
        "“The bridge will reopen in May,”",
        '"The bridge will reopen in May,"',
        "‘The bridge will reopen in May,’",
        "'The bridge will reopen in May,'",
        "«The bridge will reopen in May,»",
        "''The bridge will reopen in May,''",
    ],
)
def test_quote_spans_every_mark_style(quoted: str) -> None:
    text = f"{quoted} said the engineer."
    spans = quote_spans(text)
    assert [(s, e) for s, e, _ in spans] == [(0, len(quoted))]


def test_apostrophes_are_not_quotes() -> None:
    text = "The rebels' demands didn't change, and the mayor's office wasn't told."
    assert quote_spans(text) == []


def test_unbalanced_quote_runs_to_paragraph_end_only() -> None:
    text = "“We stay here, he said.\nThe next paragraph has no quote."
    spans = quote_spans(text)
    assert spans == [(0, text.index("\n"), False)]


@needs_spacy
@pytest.mark.parametrize("open_q,close_q", [("“", "”"), ('"', '"'), ("«", "»"), ("‘", "’")])
def test_direct_quote_with_full_name_and_role(open_q: str, close_q: str) -> None:
    text = (
        "Floods cut the valley road on Monday.\n"
        f"{open_q}We have never seen water this high,{close_q} said Ines Varga, the mayor of Lorvale."
    )
    q = _by_content(text, _quotes(text), "never seen water")
    assert q.speaker == "Ines Varga"
    assert q.kind == "direct"
    assert text[q.cue[0] : q.cue[1]] == "said"
    assert "mayor of Lorvale" in (q.role or "")


@needs_spacy
def test_interrupted_quote_is_one_quote() -> None:
    text = (
        "Harbour workers walked out on Tuesday.\n"
        "“The cranes are unsafe,” union leader Tomas Brandt said. “Nobody goes back until they are fixed.”"
    )
    qs = _quotes(text)
    q = _by_content(text, qs, "cranes are unsafe")
    assert "Nobody goes back" in text[q.content[0] : q.content[1]]
    assert q.speaker == "Tomas Brandt"
    assert len([x for x in qs if "Nobody goes back" in x.text]) == 1


@needs_spacy
def test_multi_paragraph_quote() -> None:
    text = (
        "Orla Finch, a nurse at the Lorvale clinic, described the night.\n"
        "“We ran out of beds by midnight,” Finch said. “Then we ran out of blankets.\n"
        "“By morning we were treating people in the corridor.”"
    )
    qs = _quotes(text)
    q = _by_content(text, qs, "ran out of beds")
    assert q.speaker == "Orla Finch"


@needs_spacy
def test_tweet_with_wrote() -> None:
    text = (
        "Residents posted videos of the flooding.\n"
        "“Water up to the windows. Please send boats,” wrote Dara Oyelaran, a teacher in Lorvale."
    )
    q = _by_content(text, _quotes(text), "send boats")
    assert q.speaker == "Dara Oyelaran"
    assert text[q.cue[0] : q.cue[1]] == "wrote"


# ------------------------------------------------------------------ reported speech
@needs_spacy
@pytest.mark.parametrize(
    "sentence,needle,cue",
    [
        ("Mayor Ines Varga said that the bridge would reopen in May.", "bridge would reopen", "said"),
        ("Mayor Ines Varga told reporters the bridge would reopen in May.", "bridge would reopen", "told"),
        ("Mayor Ines Varga accused the contractor of hiding cracks in the bridge.", "hiding cracks", "accused"),
        ("Mayor Ines Varga denied that the bridge had been closed for repairs.", "closed for repairs", "denied"),
        ("Mayor Ines Varga warned that the bridge could fail in a storm.", "could fail", "warned"),
        ("Mayor Ines Varga claimed the contractor had been paid twice.", "paid twice", "claimed"),
    ],
)
def test_indirect_speech(sentence: str, needle: str, cue: str) -> None:
    text = "The Lorvale bridge has been shut since March.\n" + sentence
    q = _by_content(text, _quotes(text), needle)
    assert q.kind == "indirect"
    assert q.speaker == "Ines Varga"
    assert text[q.cue[0] : q.cue[1]].startswith(cue)


@needs_spacy
def test_according_to() -> None:
    text = "According to the Lorvale Water Board, the reservoir is at 40 percent of capacity."
    q = _by_content(text, _quotes(text), "reservoir is at")
    assert q.speaker == "Lorvale Water Board"
    assert text[q.cue[0] : q.cue[1]] == "According to"
    assert "According" not in text[q.content[0] : q.content[1]]


@needs_spacy
def test_pronoun_resolves_to_full_name() -> None:
    text = (
        "Defence Minister Aurel Constantin visited the border post on Friday.\n"
        "He said the troops would stay until the spring."
    )
    q = _by_content(text, _quotes(text), "troops would stay")
    assert text[q.source[0] : q.source[1]] == "He"
    assert q.speaker == "Aurel Constantin"


@needs_spacy
def test_partial_name_resolves_to_full_name() -> None:
    text = (
        "Marta Quillon, head of the Lorvale Flood Office, toured the dikes.\n"
        "“The dikes held,” Quillon said."
    )
    q = _by_content(text, _quotes(text), "dikes held")
    assert q.speaker == "Marta Quillon"
    assert q.speaker_type == "person"


@needs_spacy
def test_anonymous_source_keeps_description() -> None:
    text = "A source close to the harbour authority said the cranes had failed an inspection in June."
    q = _by_content(text, _quotes(text), "failed an inspection")
    assert q.speaker is not None and "source close to the harbour authority" in q.speaker
    assert q.speaker_type == "anonymous"


@needs_spacy
def test_group_speaker() -> None:
    text = "Residents said the water had reached the second floor of the school."
    q = _by_content(text, _quotes(text), "second floor")
    assert q.speaker == "Residents"
    assert q.speaker_type == "group"


@needs_spacy
def test_pronoun_agrees_in_gender() -> None:
    text = (
        "Senator Hanna Ostrova met Governor Piet Lanning on Monday. Ostrova said she would back the bill. "
        "Lanning, the governor, said he would veto it.\n"
        "She said the veto would fail."
    )
    q = _by_content(text, _quotes(text), "veto would fail")
    assert q.speaker == "Hanna Ostrova"  # not Lanning, the last person named


@needs_spacy
def test_name_inside_a_group_is_not_the_speaker() -> None:
    text = (
        "President Arvo Kallas opened the port on Monday.\n"
        "Opponents of President Arvo Kallas accused the government of hiding the costs."
    )
    q = _by_content(text, _quotes(text), "hiding the costs")
    assert q.speaker != "Arvo Kallas"


@needs_spacy
def test_dash_signed_quotes() -> None:
    text = (
        "Readers wrote in about the ferry.\n"
        "“The ferry has not run for a week and nobody tells us why.” ― Aino Kask\n"
        "“We pay the fares and get nothing.”\u00a0― Peeter Tamm\n"
    )
    qs = _quotes(text)
    assert _by_content(text, qs, "nobody tells us").speaker == "Aino Kask"
    assert _by_content(text, qs, "get nothing").speaker == "Peeter Tamm"


@needs_spacy
def test_colon_headline() -> None:
    text = (
        "Varga: ‘The bridge will be rebuilt by May.’\n"
        "Ines Varga, the mayor of Lorvale, spoke to reporters on Monday.\n"
    )
    q = _by_content(text, _quotes(text), "rebuilt by May")
    assert text[q.cue[0] : q.cue[1]] == ":"
    assert q.speaker in ("Ines Varga", "Varga")


@needs_spacy
def test_whole_paragraph_quote_continues_previous_speaker() -> None:
    text = (
        "The mayor, Ines Varga, spoke first. “We will rebuild the bridge,” Varga said.\n\n"
        "“We will rebuild the school too. Nobody will be left behind.”\n"
    )
    q = _by_content(text, _quotes(text), "rebuild the bridge")
    assert "Nobody will be left behind" in q.text


@needs_spacy
def test_wh_word_is_never_a_speaker() -> None:
    text = "What the council said was that the harbour would stay closed until June."
    for q in _quotes(text):
        assert (q.speaker or "").lower() not in {"what", "that", "it", "which", "who"}


# ------------------------------------------------------------------ bad input
def test_empty_text() -> None:
    assert extract_quotes(Article("")) == ()
    assert extract_quotes(Article("   \n ")) == ()


@needs_spacy
def test_huge_single_line_no_crash() -> None:
    text = ("The council met again and the budget was discussed at length by everyone present. " * 1300)[:100_000]
    assert len(text) == 100_000
    qs = extract_quotes(Article(text))
    for q in qs:
        assert 0 <= q.content[0] < q.content[1] <= len(text)


@needs_spacy
def test_unbalanced_quotes_no_garbage_speaker() -> None:
    text = "“We will not leave, the farmer told us. The road is closed” and then ”nothing more."
    for q in extract_quotes(Article(text)):
        assert 0 <= q.content[0] < q.content[1] <= len(text)
        assert q.speaker is None or q.speaker.strip() and len(q.speaker) < 80


@needs_spacy
def test_non_english_text_no_garbage() -> None:
    text = "« Nous ne partirons pas », a déclaré le maire. Die Brücke bleibt geschlossen, sagte er."
    for q in extract_quotes(Article(text)):
        assert q.speaker is None or q.speaker.lower() not in {"he", "she", "they", "it", "er"}


def test_regex_path_without_spacy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp_mod, "nlp_available", lambda: False)
    text = (
        "“We will rebuild the pier before summer,” Deputy Mayor Ilse Brandvold said on Monday.\n"
        "Some called it a “miracle”."
    )
    qs = extract_quotes(Article(text))
    assert len(qs) == 1  # the scare quote is not a quote
    q = qs[0]
    assert text[q.content[0] : q.content[1]].startswith("“We will rebuild")
    assert q.speaker == "Ilse Brandvold"
    assert q.role == "Deputy Mayor"


def test_regex_path_pronoun_gives_no_speaker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp_mod, "nlp_available", lambda: False)
    text = "“The ferry is cancelled until further notice,” she said."
    qs = extract_quotes(Article(text))
    assert len(qs) == 1 and qs[0].speaker is None and qs[0].source is not None


# ------------------------------------------------------------------ contract
@needs_spacy
def test_quotes_json_contract_and_cli(tmp_path, capsys) -> None:
    text = "date 2024-05-02 “The pier is safe,” said harbour master Ilse Brandvold.\n"
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    rows = quotes_json(parse_text(text, path=str(path)))
    assert rows and list(rows[0])[:4] == ["content", "source", "cue", "speaker"]
    assert rows[0]["stance"] == "asserts" and 0.0 <= rows[0]["confidence"] <= 1.0
    assert text[rows[0]["content"][0] : rows[0]["content"][1]] == "“The pier is safe,”"
    res = CliRunner().invoke(cli_main, ["quotes", str(path), "--json"])
    assert res.exit_code == 0
    assert json.loads(res.stdout) == rows


def test_cli_empty_file(tmp_path) -> None:
    # The output still parses as the contract's (empty) list; the exit code says the input failed.
    path = tmp_path / "empty.txt"
    path.write_text("", encoding="utf-8")
    res = CliRunner().invoke(cli_main, ["quotes", str(path), "--json"])
    assert res.exit_code == 1
    assert json.loads(res.stdout) == []
