"""Fictional news for the web load benchmark: many stories, each reported by
several outlets over several days, from templates we wrote.

Every story is one event (a strike, a landslide, a flood, a fire, a vote
count, a recall) in an invented place, with invented people and outlets.
Its articles share the event's names and facts, differ in wording, numbers
(so figure ledgers have conflicts) and days, and some outlets re-run wire copy.

    python benchmarks/web_corpus.py 10000 > corpus.jsonl
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta

PLACES = ["Arlen", "Brisk Harbour", "Calder", "Dunmere", "Ellery", "Fenwick", "Gorran", "Hollin", "Istow",
          "Jarrow Cross", "Kelby", "Lorne Bay", "Marrow Point", "Norwood Fell", "Oban Reach", "Pellor",
          "Quarne", "Rosswick", "Saltby", "Tarn Valley", "Ulwick", "Vennor", "Wrayfield", "Yarlow"]
FIRST = ["Ada", "Bram", "Cora", "Dev", "Edda", "Finn", "Greta", "Hal", "Ines", "Jonah", "Kira", "Lev", "Mira",
         "Nils", "Olga", "Piet", "Rosa", "Sami", "Tova", "Ugo", "Vera", "Wim", "Yara", "Zeno"]
LAST = ["Arden", "Brask", "Corrin", "Dahl", "Elway", "Fenn", "Garrow", "Holt", "Iver", "Jessop", "Kell",
        "Lind", "Marr", "Norrey", "Orme", "Pask", "Quill", "Rooke", "Sallow", "Teague", "Umber", "Vos"]
OUTLETS = ["Harbour Daily", "Northshore Post", "Valley Courier", "Upland Times", "Coastal Wire", "The Ledger",
           "Evening Lantern", "Meridian Review", "County Herald", "Riverside Mail", "The Sentinel", "Fell Gazette"]
WIRES = ["Coastal Wire", "Meridian Press Agency"]

EVENTS = {
    "strike": {
        "title": ["{org} workers strike in {place}", "Strike halts {place} {thing}", "{place} {thing} shut by walkout"],
        "org": ["Dock Workers' Union", "Rail Crews Association", "Ferry Staff Guild", "Bus Drivers' Union"],
        "thing": ["port", "rail depot", "ferry terminal", "bus garage"],
        "facts": [
            "Members of the {org} walked out in {place} on {day0}, halting work at the {thing}.",
            "The {org} said {n1} of its members had joined the strike after pay talks broke down.",
            "The operator said about {n2} workers had stayed away, far fewer than the union claimed.",
            "\"We will not go back until the offer is in writing,\" said {person}, the union's {role}.",
            "{person2}, a spokesperson for the operator, denied that the offer had been withdrawn.",
            "Talks are due to resume on {day2}, the regional mediation office said.",
            "Traders near the {thing} said the stoppage was costing them custom.",
            "The strike entered its {nth} day on {day1} with no sign of a deal.",
        ],
    },
    "landslide": {
        "title": ["Landslide closes road near {place}", "{place} road shut after rockfall", "Rockfall cuts off {place}"],
        "org": ["county roads office", "regional highways board"],
        "thing": ["valley road", "coast road", "pass road"],
        "facts": [
            "A landslide closed the {thing} near {place} on {day0} after days of heavy rain.",
            "The {org} said about {n1} tonnes of rock had come down on the road.",
            "Engineers put the amount at closer to {n2} tonnes after a survey on {day1}.",
            "Nobody was hurt, police said, but {n3} households were cut off.",
            "\"The slope is still moving, so we have to be careful,\" said {person}, the {role}.",
            "The {org} expects the {thing} to stay closed until {day2}.",
            "{person2} of the {org} denied that warnings about the slope had been ignored.",
            "Buses are running on a longer route through the hills.",
        ],
    },
    "flood": {
        "title": ["Floods force evacuations in {place}", "River bursts banks in {place}", "{place} counts cost of flooding"],
        "org": ["river authority", "emergency services", "town council"],
        "thing": ["river", "canal", "estuary"],
        "facts": [
            "The {thing} burst its banks in {place} on {day0}, flooding streets near the centre.",
            "The {org} said {n1} people had been moved to shelters overnight.",
            "Volunteers put the number of evacuees at more than {n2}.",
            "At least {n3} homes were damaged, according to the {org}.",
            "\"We have never seen the water this high,\" said {person}, the {role}.",
            "{person2} denied that the flood defences had been left unfinished.",
            "Water levels began to fall on {day1}, the {org} said.",
            "Schools in {place} will stay closed until {day2}.",
        ],
    },
    "fire": {
        "title": ["Fire destroys warehouse in {place}", "{place} blaze: firefighters work through night",
                  "Warehouse fire in {place} under control"],
        "org": ["fire service", "police", "district council"],
        "thing": ["warehouse", "timber yard", "depot"],
        "facts": [
            "A fire destroyed a {thing} in {place} on {day0}, sending smoke over the town.",
            "The {org} said {n1} firefighters had fought the blaze through the night.",
            "Residents within {n3} streets of the {thing} were told to keep windows shut.",
            "The owners said about {n2} jobs were at risk.",
            "\"The building was lost within an hour,\" said {person}, the {role}.",
            "{person2} denied that the {thing} had failed a safety inspection.",
            "The cause of the fire is being investigated, the {org} said on {day1}.",
            "A public meeting is planned for {day2}.",
        ],
    },
    "recall": {
        "title": ["{place} water supply warning", "Residents in {place} told to boil water", "{place} water alert lifted"],
        "org": ["water board", "health office"],
        "thing": ["water supply", "reservoir", "treatment works"],
        "facts": [
            "Residents in {place} were told to boil their water on {day0} after a fault at the {thing}.",
            "The {org} said {n1} homes were affected by the warning.",
            "A local group said as many as {n2} homes had received the warning late.",
            "Bottled water was handed out at {n3} points across {place}.",
            "\"We are testing the supply every hour,\" said {person}, the {role}.",
            "{person2} denied that the fault had been known about for weeks.",
            "The {org} said on {day1} that tests were improving.",
            "The warning is expected to be lifted by {day2}.",
        ],
    },
}
# Background any report may carry: reactions, history, what happens next.
CONTEXT = [
    "Shops in the centre of {place} opened late on {day1}, and some did not open at all.",
    "The mayor of {place}, {person3}, said the town would need help from the region.",
    "{person3} told reporters that the council had asked for an inquiry into what went wrong.",
    "Local radio in {place} reported long queues on the main road out of town.",
    "Opposition councillors said the {org} had been slow to explain what was happening.",
    "A similar event in {place} {n4} years ago led to new rules that were never fully applied.",
    "The regional government said it was following the situation closely.",
    "Residents gathered outside the town hall on {day1} to ask for more information.",
    "Insurers said it was too early to put a figure on the losses.",
    "The weather service said more rain was likely over the weekend.",
    "Schools, shops and offices in {place} were told to expect delays for several days.",
    "A helpline has been set up for people who need advice, the {org} said.",
    "Business leaders warned that the disruption would hit the town's busiest season.",
    "The {org} said it would publish a full account once the work was finished.",
    "Several families said they had learned about the problem from neighbours rather than officials.",
    "Neighbouring towns offered to send staff and equipment to {place}.",
]
ROLES = ["secretary", "chief engineer", "spokesperson", "regional director", "duty manager", "chair"]
ORDINAL = ["second", "third", "fourth", "fifth", "sixth"]


SYLLABLES = ["ka", "ren", "vol", "mir", "tes", "dor", "lan", "qui", "bre", "sa", "nor", "vel", "tam", "ost",
             "ril", "gan", "pe", "zu", "hal", "cor", "mi", "dra", "fen", "ul"]


def _place(sid: int) -> str:
    """An invented one-word place name, different for every ``sid``."""
    k, parts = sid, []
    for _ in range(3):
        k, r = divmod(k, len(SYLLABLES))
        parts.append(SYLLABLES[r])
    return "".join(parts).capitalize() + ("wick" if k % 2 else "by")


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def story_articles(sid: int, size: int, rng: random.Random, start: date) -> Iterator[dict[str, object]]:
    """One story's articles: the same event told by several outlets over days."""
    kind = rng.choice(sorted(EVENTS))
    ev = EVENTS[kind]
    # A different place for every story: the first 24 from the list, then invented one-word names
    # (a suffix such as "Arlen North" would make stories share the name "Arlen", which real
    # stories about different towns do not).
    place = PLACES[sid] if sid < len(PLACES) else _place(sid)
    slots = {
        "place": place,
        "org": rng.choice(ev["org"]),
        "thing": rng.choice(ev["thing"]),
        "person": _name(rng),
        "person2": _name(rng),
        "role": rng.choice(ROLES),
        "n1": f"{rng.randrange(2, 60) * 50:,}",
        "n2": f"{rng.randrange(2, 60) * 50:,}",
        "n3": str(rng.randrange(3, 90)),
        "nth": rng.choice(ORDINAL),
        "person3": _name(rng),
        "n4": str(rng.randrange(5, 40)),
    }
    outlets = rng.sample(OUTLETS, k=min(len(OUTLETS), max(2, min(size, rng.randrange(3, 9)))))
    wire_text: str | None = None
    for i in range(size):
        day = start + timedelta(days=min(i // 3, 20) + rng.randrange(0, 2))
        s = slots | {
            "day0": f"{start:%A}",
            "day1": f"{day:%A}",
            "day2": f"{day + timedelta(days=rng.randrange(2, 6)):%A}",
        }
        facts = ev["facts"][:]
        keep = [facts[0]] + rng.sample(facts[1:], k=rng.randrange(4, len(facts)))
        sentences = [f.format(**s) for f in keep]
        # A few generic sentences, not most of the article: unrelated real stories do not share
        # half their sentences word for word.
        for extra in rng.sample(CONTEXT, k=rng.randrange(1, 4)):
            sentences.insert(rng.randrange(2, len(sentences) + 1), extra.format(**s))
        if rng.random() < 0.3:
            sentences.insert(1, f"It was the worst disruption in {s['place']} for {rng.randrange(3, 30)} years.")
        outlet = outlets[i % len(outlets)]
        text = "\n\n".join(sentences)
        if outlet in WIRES:
            wire_text = wire_text or text
        elif wire_text and rng.random() < 0.15:
            text = wire_text  # another outlet re-runs the wire copy word for word
        yield {
            "id": f"s{sid:04d}-a{i:03d}",
            "story": f"s{sid:04d}",
            "title": rng.choice(ev["title"]).format(**s),
            "source": outlet,
            "published": f"{day.isoformat()}T{rng.randrange(6, 22):02d}:{rng.randrange(60):02d}:00+00:00",
            "url": f"https://{outlet.lower().replace(' ', '').replace(chr(39), '')}.example/{sid}/{i}",
            "text": f"{text}\n\nReporting by {_name(rng)} for {outlet}, report {i + 1}.",
        }


def corpus(n_articles: int, seed: int = 7, big: int = 50) -> Iterator[dict[str, object]]:
    """``n_articles`` articles in stories of 5-30 articles; story 0 has ``big``."""
    rng = random.Random(seed)
    first = date(2025, 3, 3)
    sid, made = 0, 0
    while made < n_articles:
        size = big if sid == 0 else rng.randrange(5, 31)
        size = min(size, n_articles - made)
        start = first + timedelta(days=rng.randrange(0, 90))
        yield from story_articles(sid, size, rng, start)
        made += size
        sid += 1


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    for row in corpus(n):
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
