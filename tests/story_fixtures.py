"""Three unrelated fictional stories, written for these tests (no real outlets or events)."""

from __future__ import annotations

from pathlib import Path

BRIDGE = [
    ("Velmora Courier", "2025-05-06", "Part of the Ansel Bridge in Velmora collapses into the river",
     "A section of the Ansel Bridge in Velmora collapsed into the Tressa river early on Tuesday, sending two "
     "delivery vans into the water, city officials said. Rescue crews pulled four people from the river and "
     "took them to Velmora General Hospital. Mayor Ilse Braun said engineers had inspected the bridge in March "
     "and found cracks in two of its piers. The bridge, built in 1962, carries about 30,000 vehicles a day "
     "between the old town and the port district. Police closed both banks and diverted traffic to the "
     "northern ring road."),
    ("Tressa Valley News", "2025-05-06", "Four rescued after Ansel Bridge collapse in Velmora",
     "Four people were rescued from the Tressa river on Tuesday after a span of Velmora's Ansel Bridge gave "
     "way under morning traffic. Two vans fell with the collapsed section, according to the city's fire "
     "service. Mayor Ilse Braun told reporters that a March inspection had found cracks in the piers and that "
     "repairs had been scheduled for the summer. The injured were taken to Velmora General Hospital, where "
     "one driver was in serious condition. Traffic between the old town and the port district was sent to "
     "the northern ring road."),
    ("Harlow Daily", "2025-05-07", "Velmora orders checks of all river bridges after Ansel collapse",
     "Velmora's council ordered emergency checks of every bridge over the Tressa river on Wednesday, a day "
     "after a span of the Ansel Bridge collapsed and four people had to be pulled from the water. Mayor Ilse "
     "Braun said the cracks found in the Ansel Bridge piers in March should have closed it at once. The "
     "driver taken to Velmora General Hospital in serious condition was recovering, the hospital said. "
     "Engineers began inspecting the Orm and Kessel bridges, which were built in the same decade."),
]

RATES = [
    ("Arrenia Business Post", "2025-05-08", "Bank of Arrenia raises its main rate to 4.25%",
     "The Bank of Arrenia raised its main interest rate by half a point to 4.25% on Thursday, its third "
     "increase this year, as inflation in the country reached 6.1% in April. Governor Tomas Wendel said the "
     "bank was ready to raise rates again if prices kept climbing. The arrenian krona rose 1.2% against the "
     "euro after the decision. Economists had expected a smaller increase of a quarter point. Mortgage "
     "lenders said they would pass the rise on to borrowers within weeks."),
    ("Capital Ledger", "2025-05-08", "Arrenia's central bank lifts rates again as inflation bites",
     "Arrenia's central bank lifted its key interest rate to 4.25% on Thursday, a bigger step than markets "
     "had priced in, after April inflation came in at 6.1%. Bank of Arrenia governor Tomas Wendel told a news "
     "conference that the fight against inflation was not over. The krona strengthened after the "
     "announcement, while shares in Arrenian home builders fell. It was the bank's third rate rise of the "
     "year."),
    ("Northwind Markets", "2025-05-09", "Krona climbs after Bank of Arrenia's half-point rate rise",
     "The Arrenian krona held its gains on Friday, a day after the Bank of Arrenia raised its main interest "
     "rate by half a point to 4.25%. Governor Tomas Wendel's warning that more rises could follow pushed "
     "bond yields higher. Inflation reached 6.1% in April, well above the bank's 2% target. Mortgage "
     "lenders in Arrenia began raising their rates for new borrowers."),
]

FIRE = [
    ("Doran Herald", "2025-05-10", "Wildfire in the Doran Hills forces 800 people from their homes",
     "A wildfire in the Doran Hills forced about 800 residents of the villages of Pell and Marrow Cross to "
     "leave their homes on Saturday as strong winds drove the flames east. Fire chief Anja Kowalczyk said "
     "more than 200 firefighters and four water-dropping planes were fighting the blaze, which had burned "
     "about 1,500 hectares of pine forest. Evacuees were housed in the sports hall in Doran town. No one "
     "had been hurt, she said."),
    ("Hillside Gazette", "2025-05-11", "Doran Hills fire spreads to 2,000 hectares; Pell evacuated",
     "The wildfire in the Doran Hills had spread to 2,000 hectares of pine forest by Sunday morning, fire "
     "chief Anja Kowalczyk said, after winds pushed it towards the village of Pell. About 800 people from "
     "Pell and Marrow Cross spent the night in Doran's sports hall. Four water-dropping planes resumed "
     "flights at dawn, and more firefighters arrived from neighbouring districts. Officials said the cause "
     "of the fire was being investigated."),
]

STORIES = {"bridge": BRIDGE, "rates": RATES, "fire": FIRE}


def write_folder(folder: Path, stories: dict[str, list[tuple[str, str, str, str]]] = STORIES) -> dict[str, str]:
    """One text file per article (date line, title, text, Source line); returns file name -> story key."""
    folder.mkdir(parents=True, exist_ok=True)
    where = {}
    for key, arts in stories.items():
        for n, (outlet, day, title, text) in enumerate(arts, 1):
            name = f"{key}-{n}.txt"
            (folder / name).write_text(f"date {day}\n{title}\n\n{text}\n\nSource: {outlet}\n", encoding="utf-8")
            where[name] = key
    return where


def jsonl_lines(stories: dict[str, list[tuple[str, str, str, str]]] = STORIES, dated: bool = True) -> list[dict]:
    """The stories as JSONL rows with ids ``KEY-N``."""
    rows = []
    for key, arts in stories.items():
        for n, (outlet, day, title, text) in enumerate(arts, 1):
            row = {"id": f"{key}-{n}", "source": outlet, "title": title, "text": text}
            if dated:
                row["published"] = day
            rows.append(row)
    return rows
