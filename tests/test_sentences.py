"""Sentence splitting: exact offsets, abbreviations, quotations, boilerplate."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsweave.analyze.sentences import body_start, split_sentences
from tests.conftest import make_article


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(make_article(text))]


def test_offsets_match_text_and_date_prefix_is_skipped():
    text = "date 2025-03-04 Dockers walked out. The port closed.\n\nCranes stood idle."
    a = make_article(text)
    sents = split_sentences(a)
    assert [s.text for s in sents] == ["Dockers walked out.", "The port closed.", "Cranes stood idle."]
    assert all(text[s.start : s.end] == s.text for s in sents)
    assert body_start(text) == text.index("Dockers")
    assert [s.paragraph for s in sents] == [0, 0, 1]


def test_abbreviations_initials_and_clock_times_do_not_end_sentences():
    out = texts(
        "Gen. Ada Morrow met Sen. P. J. Halloran at 2 a.m. Friday in Velmora, N.Y., before dawn. "
        "The U.N. envoy was not there."
    )
    assert out == [
        "Gen. Ada Morrow met Sen. P. J. Halloran at 2 a.m. Friday in Velmora, N.Y., before dawn.",
        "The U.N. envoy was not there.",
    ]


def test_a_quotation_of_several_sentences_stays_whole():
    out = texts("“We are ready. We have waited long enough,” said Mara Ostrin. Talks resume today.")
    assert out == ["“We are ready. We have waited long enough,” said Mara Ostrin.", "Talks resume today."]


def test_boilerplate_lines_are_flagged_but_kept():
    text = (
        "Port shut by strike\n\nDockers walked out on Monday, union leaders said in Velmora.\n\n"
        "READ MORE: Why the docks matter\n\nCrowds gather at the gates (Reuters)\n\n"
        "Crowds gather at the gates (Reuters)\n\nSource: Velmora Post"
    )
    sents = split_sentences(make_article(text))
    flags = {s.text: s.boilerplate for s in sents}
    assert flags["Dockers walked out on Monday, union leaders said in Velmora."] is False
    assert flags["READ MORE: Why the docks matter"] is True
    assert flags["Crowds gather at the gates (Reuters)"] is True
    assert flags["Source: Velmora Post"] is True
    assert flags["Port shut by strike"] is True  # the headline, taken as the title


def test_one_huge_line_is_split_quickly_and_exactly():
    text = "The crane stopped. " * 5000 + "X" * 50_000
    sents = split_sentences(make_article(text))
    assert len(sents) == 5001
    assert all(text[s.start : s.end] == s.text for s in sents)


@given(st.text(alphabet=st.sampled_from(list("ab .!?\n“”\"'AZ9")), min_size=1, max_size=300))
def test_offsets_always_valid(text):
    if not text.strip():
        return
    sents = split_sentences(make_article("x " + text))
    prev = -1
    for s in sents:
        assert ("x " + text)[s.start : s.end] == s.text
        assert s.start > prev
        prev = s.end - 1
