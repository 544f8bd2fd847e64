"""A seeded generator of partnering-event instances for the scheduler (issue 18's benchmarks).

    from benchmarks.scheduling_generator import generate, MEDIUM, LARGE
    instance = generate(**MEDIUM)                  # the same Instance for the same arguments
    .venv/bin/python benchmarks/scheduling_generator.py medium --out medium.json

The event is a one-day partnering session in San Diego (America/Los_Angeles) on 2024-03-12:
``slots`` meeting slots of ``slot_minutes`` with ``break_minutes`` between them and an hour for lunch
halfway. Organizations bring one to three delegates; startups (55% of them) request meetings with
investors and corporates, corporates also with startups. Who is requested follows a long tail (a few
investors are asked by dozens, more than their day can hold), so not every request can be met.
About one meeting in ten brings a second delegate of the requesting organization. Priorities are 1
(60%), 2 (30%) or 3; 30% of requests are mutual, 15% "must meet". A quarter of the investors and
corporates cap their meetings at 8-12; 30% of the delegates arrive late or leave early (2-6 slots
missing). Tables: ceil(requests / slots x 1.15), one meeting each, four seats; with ``venues=2`` a
quarter of them are in a hotel across the street, ``travel_minutes`` away from the hall.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from dari.engines.scheduling.instance import FORMAT, Instance, parse_instance  # noqa: E402

MEDIUM = {"participants": 300, "meetings": 1200, "slots": 16, "venues": 2, "seed": 18}
LARGE = {"participants": 1000, "meetings": 5000, "slots": 24, "venues": 1, "slot_minutes": 20, "seed": 18}
SMALL = {"participants": 40, "meetings": 120, "slots": 8, "venues": 2, "seed": 18}
SIZES = {"small": SMALL, "medium": MEDIUM, "large": LARGE}


def generate(*args, **kwargs) -> Instance:
    """The instance of :func:`generate_json`'s file, checked like any instance file."""
    return parse_instance(generate_json(*args, **kwargs))


def generate_json(
    participants: int = 300,
    meetings: int = 1200,
    slots: int = 16,
    venues: int = 2,
    seed: int = 18,
    *,
    slot_minutes: int = 25,
    break_minutes: int = 5,
    travel_minutes: int = 10,
    table_factor: float = 1.15,
    zone: str = "America/Los_Angeles",
    day: str = "2024-03-12",
    name: str = "",
) -> dict:
    rng = random.Random(seed)
    tz = ZoneInfo(zone)
    # Slots: from 08:30 local, lunch (60 min) after the middle slot.
    start = datetime.fromisoformat(f"{day}T08:30:00").replace(tzinfo=tz)
    slot_list = []
    for k in range(slots):
        end = start + timedelta(minutes=slot_minutes)
        slot_list.append({"id": f"s{k + 1:02d}", "start": start.isoformat(), "end": end.isoformat()})
        start = end + timedelta(minutes=break_minutes)
        if k + 1 == slots // 2:
            start += timedelta(minutes=60 - break_minutes)
    # Organizations and their delegates.
    people = []
    organizations = []  # (id, kind, [participant ids])
    while len(people) < participants:
        org = f"o{len(organizations) + 1:04d}"
        kind = rng.choices(("startup", "investor", "corporate"), (55, 25, 20))[0]
        size = min(rng.choices((1, 2, 3), (60, 30, 10))[0], participants - len(people))
        members = []
        for _ in range(size):
            pid = f"p{len(people) + 1:04d}"
            members.append(pid)
            people.append({"id": pid, "organization": org, "kind": kind})
        organizations.append((org, kind, members))
    for person in people:
        if person["kind"] != "startup" and rng.random() < 0.25:
            person["max_meetings"] = rng.randint(8, 12)
        if rng.random() < 0.30:
            missing = rng.randint(2, 6)
            slot_ids = [s["id"] for s in slot_list]
            person["available"] = slot_ids[missing:] if rng.random() < 0.5 else slot_ids[:-missing]
    # Requests: startups -> investors and corporates; corporates -> startups. A long tail of popularity.
    by_kind = {k: [o for o in organizations if o[1] == k] for k in ("startup", "investor", "corporate")}
    popularity = {
        o[0]: 1 / (rank + 1) ** 0.8
        for kind in by_kind.values()
        for rank, o in enumerate(_shuffled(rng, kind))
    }
    partners = by_kind["investor"] + by_kind["corporate"]
    request_list = []
    seen = set()
    attempts = 0
    while len(request_list) < meetings and attempts < meetings * 50:
        attempts += 1
        if rng.random() < 0.85 or not by_kind["startup"]:
            source = rng.choice(by_kind["startup"])
            target = rng.choices(partners, [popularity[o[0]] for o in partners])[0]
        else:
            source = rng.choice(by_kind["corporate"])
            target = rng.choices(by_kind["startup"], [popularity[o[0]] for o in by_kind["startup"]])[0]
        a, b = rng.choice(source[2]), rng.choice(target[2])
        members = [a, b]
        if len(source[2]) > 1 and rng.random() < 0.10:
            members.insert(1, rng.choice([p for p in source[2] if p != a]))
        key = frozenset(members)
        if key in seen or frozenset((source[0], target[0], a, b)) in seen:
            continue
        seen.add(key)
        request = {"id": f"m{len(request_list) + 1:05d}", "participants": members}
        priority = rng.choices((1, 2, 3), (60, 30, 10))[0]
        if priority != 1:
            request["priority"] = priority
        if rng.random() < 0.30:
            request["mutual"] = True
        if rng.random() < 0.15:
            request["preference"] = "must"
        request_list.append(request)
    # Tables.
    tables = math.ceil(len(request_list) / slots * table_factor)
    venue_list = [{"id": "hall", "name": "Partnering hall"}]
    in_hotel = 0
    if venues >= 2:
        venue_list.append({"id": "hotel", "name": "Hotel meeting suites"})
        in_hotel = tables // 4
    locations = []
    for k in range(tables):
        venue = "hotel" if k >= tables - in_hotel else "hall"
        locations.append(
            {"id": f"{venue}-t{k + 1:03d}", "venue": venue, "capacity": 1, "max_participants": 4}
        )
    data = {
        "format": FORMAT,
        "id": name or f"generated-p{participants}-m{meetings}-s{slots}-v{venues}-seed{seed}",
        "event": {"name": "Generated partnering day", "zone": zone},
        "slots": slot_list,
        "venues": venue_list,
        "locations": locations,
        "participants": [{k: v for k, v in p.items() if k != "kind"} for p in people],
        "meetings": request_list,
    }
    if venues >= 2:
        data["travel"] = [{"venues": ["hall", "hotel"], "minutes": travel_minutes}]
    return data


def _shuffled(rng: random.Random, items: list) -> list:
    items = list(items)
    rng.shuffle(items)
    return items


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    parameters = dict(SIZES[args.size])
    if args.seed is not None:
        parameters["seed"] = args.seed
    data = generate_json(**parameters)
    parse_instance(data)
    args.out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(data['participants'])} participants, {len(data['meetings'])} meetings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
