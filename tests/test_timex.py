"""Temporal expressions: detection, TIMEX3 values, tense-resolved weekdays, bad input.

All texts are written for these tests (a fictional port town, Marrowick, and
its harbour dispute); the reference date is a Wednesday, 2016-12-14, unless
a test says otherwise.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsweave.analyze.timex import dates_json, find_timexes, reference_from_text

REF = "2016-12-14"  # a Wednesday


def one(text: str, ref: str | None = REF) -> tuple[str, str, str]:
    """The single expression found in ``text`` as (text, type, value)."""
    found = find_timexes(text, ref)
    assert len(found) == 1, [(t.text, t.value) for t in found]
    t = found[0]
    return t.text, t.type, t.value


def values(text: str, ref: str | None = REF) -> list[str]:
    return [t.value for t in find_timexes(text, ref)]


# ------------------------------------------------------------- rule families
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # relative days and parts of day
        ("The dockers walked out yesterday.", ("yesterday", "DATE", "2016-12-13")),
        ("The council votes tomorrow.", ("tomorrow", "DATE", "2016-12-15")),
        ("The mayor speaks tonight.", ("tonight", "TIME", "2016-12-14TNI")),
        ("Pickets gathered this morning.", ("this morning", "TIME", "2016-12-14TMO")),
        ("A fire broke out last night.", ("last night", "TIME", "2016-12-13TNI")),
        ("Talks collapsed late Tuesday.", ("late Tuesday", "DATE", "2016-12-13")),
        ("Cranes stopped Tuesday night.", ("Tuesday night", "TIME", "2016-12-13TNI")),
        ("Ferries will leave early Thursday morning.", ("early Thursday morning", "TIME", "2016-12-15TMO")),
        ("The strike began Monday afternoon.", ("Monday afternoon", "TIME", "2016-12-12TAF")),
        ("The union met Sunday evening.", ("Sunday evening", "TIME", "2016-12-11TEV")),
        # explicit dates with and without a year
        ("The deal was signed on December 14, 2016.", ("December 14, 2016", "DATE", "2016-12-14")),
        ("The deal was signed on 3 March 2015.", ("3 March 2015", "DATE", "2015-03-03")),
        ("The hearing was held on Dec. 2.", ("Dec. 2", "DATE", "2016-12-02")),
        ("The port reopens on Jan. 9.", ("Jan. 9", "DATE", "2017-01-09")),
        ("The log is dated 2016-11-30.", ("2016-11-30", "DATE", "2016-11-30")),
        ("The log is dated 11/30/2016.", ("11/30/2016", "DATE", "2016-11-30")),
        ("The log is dated 2016/11/30.", ("2016/11/30", "DATE", "2016-11-30")),
        ("The log is dated 30.11.2016.", ("30.11.2016", "DATE", "2016-11-30")),
        ("Logged 2016-11-30T21:05:00Z.", ("2016-11-30T21:05", "TIME", "2016-11-30T21:05")),
        ("It is due on Wednesday, Dec. 21.", ("Wednesday, Dec. 21", "DATE", "2016-12-21")),
        ("Ferries stop on Christmas Eve.", ("Christmas Eve", "DATE", "2016-12-24")),
        ("The berth reopens after New Year's Day.", ("New Year's Day", "DATE", "2017-01-01")),
        # months, seasons, years, decades, centuries
        ("Wages fell in October.", ("October", "DATE", "2016-10")),
        ("The quay closed in March 2011.", ("March 2011", "DATE", "2011-03")),
        ("The berth will open in February.", ("February", "DATE", "2017-02")),
        ("Repairs are planned for this summer.", ("this summer", "DATE", "2016-SU")),
        ("The harbour was dredged last spring.", ("last spring", "DATE", "2016-SP")),
        ("The pier was built in 1988.", ("1988", "DATE", "1988")),
        ("Sales rose in fiscal 1989.", ("fiscal 1989", "DATE", "1989")),
        ("Trade boomed in the 1990s.", ("the 1990s", "DATE", "199")),
        ("The fort dates from the 17th century.", ("the 17th century", "DATE", "16")),
        ("The tug was refitted in mid-2014.", ("mid-2014", "DATE", "2014")),
        # weeks, months and years relative to the publication date
        ("Shipping slowed last week.", ("last week", "DATE", "2016-W49")),
        ("Inspectors arrive next month.", ("next month", "DATE", "2017-01")),
        ("The crane failed two weeks ago.", ("two weeks ago", "DATE", "2016-W48")),
        ("Profits doubled this year.", ("this year", "DATE", "2016")),
        ("Rates rose earlier this month.", ("earlier this month", "DATE", "2016-12")),
        ("The fleet was sold five years ago.", ("five years ago", "DATE", "2011")),
        ("Volumes rose over the weekend.", ("the weekend", "DATE", "2016-W49-WE")),
        # quarters and financial periods
        ("Revenue fell in the third quarter.", ("the third quarter", "DATE", "2016-Q3")),
        ("Its fourth-quarter results come next.", ("fourth-quarter", "DATE", "2016-Q4")),
        ("Costs grew in the first half of 2015.", ("the first half of 2015", "DATE", "2015-H1")),
        # durations
        ("The strike has lasted more than five years.", ("more than five years", "DURATION", "P5Y")),
        ("The talks could take weeks.", ("weeks", "DURATION", "PXW")),
        ("They worked for three days.", ("three days", "DURATION", "P3D")),
        ("The vote took two and a half hours.", ("two and a half hours", "DURATION", "PT2H30M")),
        ("It was a 10-year lease.", ("10-year", "DURATION", "P10Y")),
        ("Trade fell over the past three months.", ("the past three months", "DURATION", "P3M")),
        ("Ships waited for a few days.", ("a few days", "DURATION", "PXD")),
        ("Less than 24 hours after the deal, shelling resumed.", ("Less than 24 hours", "DURATION", "PT24H")),
        # sets
        ("Ferries run every day.", ("every day", "SET", "P1D")),
        ("The board meets each Thursday.", ("each Thursday", "SET", "XXXX-WXX-4")),
        ("The report is filed each year.", ("each year", "SET", "P1Y")),
        # clock times
        ("The truce began at 11:30 p.m. local time.", ("11:30 p.m. local time", "TIME", "2016-12-14T23:30")),
        ("Buses left at 10 p.m. Tuesday.", ("10 p.m. Tuesday", "TIME", "2016-12-13T22:00")),
        ("The gates will open at noon Thursday.", ("noon Thursday", "TIME", "2016-12-15T12:00")),
        ("The alarm sounded at 0630 GMT.", ("0630 GMT", "TIME", "2016-12-14T06:30")),
        # present, past and future references
        ("The port is now closed.", ("now", "DATE", "PRESENT_REF")),
        ("Dockers are currently idle.", ("currently", "DATE", "PRESENT_REF")),
        ("The mayor recently resigned.", ("recently", "DATE", "PAST_REF")),
        ("A deal may come soon.", ("soon", "DATE", "FUTURE_REF")),
        ("Nobody knows what the future holds.", ("the future", "DATE", "FUTURE_REF")),
    ],
)
def test_rule_family(text: str, expected: tuple[str, str, str]) -> None:
    assert one(text) == expected


# ------------------------------------------------------------- weekdays by tense and context
def test_weekday_after_said_is_the_past_one() -> None:
    assert one("The harbour master said Monday that cranes were idle.") == ("Monday", "DATE", "2016-12-12")


def test_weekday_after_will_is_the_next_one() -> None:
    assert one("The union will meet Thursday.") == ("Thursday", "DATE", "2016-12-15")
    assert one("Ferries are expected to resume on Monday.") == ("Monday", "DATE", "2016-12-19")


def test_schedules_in_the_present_tense_look_ahead() -> None:
    assert values("The runoff is Sunday.") == ["2016-12-18"]
    assert values("The truce takes effect at noon Friday.") == ["2016-12-16T12:00"]
    # a plan in the past perfect is a past plan
    assert values("The offer had been due to expire Monday.") == ["2016-12-12"]


def test_forecasts_and_declared_days_look_ahead() -> None:
    # a forecast's day lies ahead, even after a past-tense verb earlier in the sentence
    assert values("The fog lifted on Monday and is forecast to return on Friday afternoon.") == [
        "2016-12-12", "2016-12-16TAF"]
    # a day declared a holiday or a day of mourning is one still to come
    assert values("The council has declared Friday a holiday for the dockers.") == ["2016-12-16"]
    assert values("The mayor named Monday as the deadline for bids.") == ["2016-12-19"]
    # ... but a declaration made on a day is dated that day
    assert values("The council declared Monday that the strike was over.") == ["2016-12-12"]
    assert values("The storm was forecast to reach the coast on Monday.") == ["2016-12-12"]


def test_publication_weekday_is_the_publication_day() -> None:
    assert values("Fighting resumed Wednesday.") == ["2016-12-14"]
    assert values("Talks will resume Wednesday.") == ["2016-12-14"]


def test_said_and_will_in_one_sentence() -> None:
    found = find_timexes("The mayor said Tuesday that talks will resume Friday.", REF)
    assert [(t.text, t.value) for t in found] == [("Tuesday", "2016-12-13"), ("Friday", "2016-12-16")]


def test_last_and_next_weekday() -> None:
    assert one("The ship docked last Wednesday.") == ("last Wednesday", "DATE", "2016-12-07")
    assert one("The ship docks next Monday.") == ("next Monday", "DATE", "2016-12-19")


def test_bare_weekday_in_news_copy_is_the_most_recent_one() -> None:
    # no tense cue at all: news reports events that already happened
    assert values("Pickets on Saturday.") == ["2016-12-10"]


def test_month_without_year_by_tense() -> None:
    assert values("The berth closed in November.") == ["2016-11"]
    assert values("Wages rose in January.", "2016-12-14") == ["2016-01"]
    assert values("The berth will reopen by January.") == ["2017-01"]


def test_day_anchored_time_uses_the_day_just_named() -> None:
    found = find_timexes("On Monday the pickets returned. They left at dawn.", REF)
    assert [(t.text, t.value) for t in found] == [("Monday", "2016-12-12"), ("dawn", "2016-12-12TMO")]


def test_a_year_earlier_in_quarter_context() -> None:
    text = "Harbor Freight earned $2 million in the third quarter, up from $1 million a year earlier."
    assert values(text) == ["2016-Q3", "2015-Q3"]


def test_a_year_earlier_without_quarter_context() -> None:
    assert values("Cargo volumes were higher than a year earlier.") == ["2015"]


def test_rates_are_not_durations() -> None:
    # "$500 million a year" is a rate; TimeBank does not mark it
    assert values("The levy brings in $500 million a year.") == []


# ------------------------------------------------------------- without a reference date
def test_no_reference_date_gives_unanchored_values() -> None:
    assert values("Fighting resumed Wednesday.", None) == ["XXXX-WXX-3"]
    assert values("The deal was signed on December 14.", None) == ["XXXX-12-14"]
    assert values("Talks collapsed in the third quarter.", None) == ["XXXX-Q3"]
    # an explicit date keeps its value
    assert values("The deal was signed on December 14, 2016.", None) == ["2016-12-14"]


def test_invalid_reference_date_is_treated_as_none() -> None:
    assert values("Fighting resumed Wednesday.", "not a date") == ["XXXX-WXX-3"]


def test_date_prefix_gives_reference_and_is_not_tagged() -> None:
    text = " date 2016-12-15 Fighting resumed Wednesday."
    assert reference_from_text(text) == ("2016-12-15", 17)
    out = dates_json(text, None)
    assert out == [{"start": 34, "end": 43, "text": "Wednesday", "type": "DATE", "value": "2016-12-14"}]
    # an explicit reference date wins over the prefix
    assert dates_json(text, "2016-12-16")[0]["value"] == "2016-12-14"
    assert find_timexes(text, None)[0].value == "2016-12-14"


# ------------------------------------------------------------- bad input
def test_empty_and_blank_text() -> None:
    assert find_timexes("", REF) == []
    assert find_timexes("   \n\t ", REF) == []
    assert dates_json("", None) == []


def test_ambiguous_slash_numbers_give_nothing() -> None:
    assert find_timexes("Turnout was 2/3 of members.", REF) == []
    assert find_timexes("2/3", REF) == []
    assert find_timexes("Version 1.2.10 shipped.", REF) == []


def test_counts_are_not_years() -> None:
    assert find_timexes("Some 1500 people and 2000 troops joined.", REF) == []
    assert find_timexes("The fee is $2016.", REF) == []


def test_words_inside_other_words_are_not_matched() -> None:
    # "know" contains "now", "Sandra Day" is a name, "quarterly" is not "quarter"
    assert find_timexes("I know Sandra Day well; its quarterly report is out.", REF) == []


def test_names_are_not_dates() -> None:
    assert find_timexes("She reads USA Today and watches This Week.", REF) == []
    assert find_timexes("The Sunday Times quoted June Carter and May Ellis.", REF) == []
    assert find_timexes("Resolution 2254 and Flight 1549 reached 1600 Pennsylvania Avenue.", REF) == []
    assert values("May Ellis said in May that the berth opens in June 2017.") == ["2016-05", "2017-06"]


def test_non_english_text_gives_no_garbage() -> None:
    assert find_timexes("Le conseil se réunira mardi prochain à Marrowick.", REF) == []
    assert find_timexes("Der Hafen bleibt bis Mittwoch geschlossen.", REF) == []
    assert find_timexes("港口周三关闭，工人罢工。", REF) == []


def test_one_long_line_is_handled() -> None:
    # 100,000 characters without a newline: no crash, valid offsets, linear work
    unit = "Dockers struck on Tuesday and again 2/3 of them on Wednesday night; "
    text = (unit * (100_000 // len(unit) + 1))[:100_000]
    found = find_timexes(text, REF)
    assert len(found) > 2000
    assert all(text[t.start:t.end] == t.text for t in found)
    assert {t.value for t in found} <= {"2016-12-13", "2016-12-14TNI", "2016-12-14"}
    assert find_timexes("a " * 50_000, REF) == []


# ------------------------------------------------------------- contract and CLI
def test_dates_json_keys_exactly() -> None:
    out = dates_json("The port closed on Tuesday.", REF)
    assert out and all(set(d) == {"start", "end", "text", "type", "value"} for d in out)


def test_cli_prints_the_json_contract(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    # CRLF and non-ASCII are kept exactly as in the file: offsets index the text as read
    path.write_bytes(" date 2016-12-14 Caf\u00e9 owners said Tuesday\r\nthey will reopen Friday.".encode())
    run = subprocess.run([sys.executable, "-m", "newsweave.cli", "dates", str(path), "--json"],
                         capture_output=True, text=True, check=True, encoding="utf-8")
    out = json.loads(run.stdout)
    text = path.read_bytes().decode("utf-8")
    assert [(d["text"], d["value"]) for d in out] == [("Tuesday", "2016-12-13"), ("Friday", "2016-12-16")]
    assert all(text[d["start"]:d["end"]] == d["text"] for d in out)
    run = subprocess.run([sys.executable, "-m", "newsweave.cli", "dates", str(path), "--json", "--reference-date",
                          "2016-12-20"], capture_output=True, text=True, check=True, encoding="utf-8")
    assert json.loads(run.stdout)[0]["value"] == "2016-12-20"


def test_cli_rejects_a_bad_reference_date(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Talks resumed Monday.", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "newsweave.cli", "dates", str(path), "--json", "--reference-date",
                          "14/12/2016"], capture_output=True, text=True)
    assert run.returncode != 0
    assert "YYYY-MM-DD" in run.stderr


# ------------------------------------------------------------- properties
_WORDS = ["Tuesday", "night", "last", "week", "the", "third", "quarter", "2/3", "1990", "May", "a", "year",
          "ago", "more", "than", "five", "years", "at", "11:30", "p.m.", "every", "day", "now", "Dec.", "14",
          ",", ".", "early", "late", "mid-", "recent", "weeks", "of", "fiscal", "spring", "yesterday"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=6)), max_size=40),
       st.sampled_from([REF, None, "1998-02-28", "2000-01-01"]))
def test_offsets_valid_and_no_overlaps(words: list[str], ref: str | None) -> None:
    text = " ".join(words)
    found = find_timexes(text, ref)
    end = -1
    for t in found:
        assert text[t.start:t.end] == t.text
        assert t.start >= end  # sorted and non-overlapping
        assert t.type in {"DATE", "TIME", "DURATION", "SET"}
        assert t.value and t.text.strip() == t.text
        end = t.end
