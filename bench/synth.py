"""A deterministic synthetic knowledge base, for benchmarks at any size.

    python bench/synth.py OUT/data --archive OUT/archive --events 3000 [--seed 1]

or, from Python, ``generate(data_dir, archive_dir, events=3000)``.

Everything comes from one seeded :class:`random.Random` (never from set or
hash order), so the same parameters always give byte-identical files.  The
output is valid data in the wiki's formats (see tests/fixtures/kb/data):

* ``sources.yml``, ``groups.yml``, ``people.yml``, ``places.yml``,
  ``relations.yml`` and ``events/<year>.yml`` (one file per year, each under
  the loader's 4 MB limit);
* one archived text per source in the archive folder.  Every citation quotes a
  sentence (or a run of words of one) that was written into its source's
  text, wrapped across lines and mixed with page furniture, so the quote check
  passes.

Records look like the real ones: aliases and acronyms, facts (some of them
contested), nested places with coordinates, dated relations of every type,
events with actors, casualties (some as ranges), figures, notes and several
citations; text includes accents, '&', '*', '_' and brackets that the
renderers must escape.  Popularity is skewed (a few groups, places and
sources are in many events), as in real data.
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeDumper as _BaseDumper
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]

MAX_FILE_BYTES = 4 * 1024 * 1024  # macros.load.MAX_FILE_BYTES
MAX_QUOTE_WORDS = 40  # macros.model.MAX_QUOTE_WORDS

#: Counts per 300 events (about the size of the real site); other sizes scale linearly.
PER_300 = {"sources": 10, "groups": 60, "people": 45, "places": 60, "relations": 90}
DEFAULT_YEARS = (2003, 2024)

_SYLLABLE_TEXT = (
    "ka ti ba ma si na ou lé dou gao ten ké mo ra za hel kid al tin bou ag ha mé sé ni ta ké dja fa ko lo gou an "
    "sar in mi ro du bé"
)
_SYLLABLES = _SYLLABLE_TEXT.split()
_FIRST_TEXT = (
    "Amadou Iyad Mokhtar Abdelmalek Hamadoun Oumar Moussa Fatoumata Aïcha Sidi Ahmed Ibrahim Mariam Seydou Adnan "
    "Abou Bilal Hassan Alghabass Yahya Djamel Salif Aminata Boubacar"
)
_FIRST = _FIRST_TEXT.split()
_TOPICS = ["Terror", "Crisis", "Talks", "Attacks", "Update"]
_GROUP_PATTERNS = (
    "Katiba {w}",
    "Front for the Liberation of {W}",
    "Movement for Unity in {W}",
    "Ansar {w}",
    "Brigade of {W}",
    "{W} Self-Defence Group",
    "Coalition of {W} & {V}",
    "Islamic State in {W}",
    "{W} Patriotic Forces",
    "Mission to {W}",
)
_PUBLISHERS = (
    "Sahel Monitor",
    "Le Journal du {W}",
    "Desert Dispatch",
    "{W} Times",
    "Institute for {W} Studies",
    "Crisis Observatory",
    "Radio {W}",
    "Smith & {W} Research",
    "The {W} Review",
)
_FILLER = (
    "Help keep us from drying up. We need your help! Our subscriber base has fallen.",
    "Leave a Reply. Your email address will not be published. Required fields are marked *",
    "Related stories: more on the region, the economy and the weather (updated daily).",
    "The situation remains fluid and reports from the area are hard to confirm independently.",
    "Access to the area is restricted [by the authorities], and the roads are often closed.",
    "Analysts say the rainy season usually slows operations; the markets reopen in October.",
)

_GROUP_KINDS = (
    ("jihadist-group", 30),
    ("armed-group", 15),
    ("rebel-movement", 10),
    ("state-forces", 10),
    ("community", 6),
    ("jihadist-alliance", 4),
    ("criminal-network", 5),
    ("mercenary-company", 3),
    ("international-mission", 4),
    ("government", 5),
    ("alliance", 3),
    ("political-body", 3),
    ("islamist-group", 2),
    ("international-organisation", 2),
    ("media", 1),
    ("research", 1),
)
_EVENT_TYPES = (
    ("attack", 30),
    ("ambush", 10),
    ("bombing", 8),
    ("airstrike", 6),
    ("kidnapping", 8),
    ("release", 3),
    ("arrest", 4),
    ("siege", 2),
    ("statement", 5),
    ("report", 3),
    ("operation", 6),
    ("deployment", 3),
    ("withdrawal", 2),
    ("agreement", 2),
    ("negotiation", 2),
    ("meeting", 2),
    ("protest", 2),
    ("coup", 1),
    ("statistic", 3),
    ("punishment", 1),
    ("charge", 1),
    ("founding", 1),
    ("split", 1),
    ("other", 2),
)
_VIOLENT = {"attack", "ambush", "bombing", "airstrike", "siege", "kidnapping", "operation", "punishment"}
_VERBS = {
    "attack": "attacked",
    "ambush": "ambushed a convoy near",
    "bombing": "set off a bomb in",
    "airstrike": "struck targets near",
    "siege": "besieged",
    "kidnapping": "kidnapped workers near",
    "operation": "led an operation around",
    "punishment": "publicly punished residents of",
}
_ROLES_VIOLENT = (("perpetrator", 5), ("claimed", 3), ("suspected", 3), ("attributed", 1), ("target", 3), ("victim", 1))
_ROLES_OTHER = (
    ("party", 4),
    ("authority", 2),
    ("subject", 3),
    ("mediator", 1),
    ("negotiator", 1),
    ("participant", 2),
    ("reporter", 1),
    ("mentioned", 2),
    ("leader", 1),
)
_CATEGORIES = ("civilians", "soldiers", "police", "peacekeepers", "attackers", "workers", "hostages", "unspecified")
_RELATION_TYPES = (
    ("allied-with", 6),
    ("rival-of", 4),
    ("split-from", 3),
    ("merged-into", 2),
    ("affiliate-of", 3),
    ("successor-of", 1),
    ("part-of", 3),
    ("member-of", 6),
    ("leader-of", 5),
    ("founder-of", 3),
)
#: Relation types that form a lineage, which must not loop (see macros/plausible.py).
_LINEAGE_TYPES = frozenset({"split-from", "merged-into", "successor-of", "part-of"})
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _day(offset: int) -> str:
    """An ISO day ``offset`` days after 1 January 2025."""
    return (datetime.date(2025, 1, 1) + datetime.timedelta(days=offset)).isoformat()


class _Dumper(_BaseDumper):  # type: ignore[misc,valid-type]
    """Safe YAML without anchors/aliases (the wiki's loader refuses them)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


@dataclass
class Counts:
    events: int
    sources: int
    groups: int
    people: int
    places: int
    relations: int
    years: tuple[int, int] = DEFAULT_YEARS

    @classmethod
    def scaled(cls, events: int, years: tuple[int, int] = DEFAULT_YEARS, **overrides: int | None) -> Counts:
        """The default counts for ``events`` events, with any count overridden."""
        counts = {k: max(2, round(v * events / 300)) for k, v in PER_300.items()}
        counts.update({k: v for k, v in overrides.items() if v is not None})
        return cls(events=events, years=years, **counts)


@dataclass
class Stats:
    counts: Counts
    citations: int = 0
    data_bytes: int = 0
    archive_bytes: int = 0
    files: list[str] = field(default_factory=list)


class _Source:
    """A source being written: its record and the paragraphs of its archived text."""

    def __init__(self, record: dict[str, Any]) -> None:
        self.record = record
        self.paragraphs: list[list[str]] = [[]]


class _Generator:
    def __init__(self, counts: Counts, seed: int) -> None:
        self.c = counts
        self.rng = random.Random(seed)
        self.ids: set[str] = set()
        self.names: set[str] = set()
        self.citations = 0
        self.sources: list[_Source] = []
        self.source_weights: list[float] = []

    # -- small helpers -----------------------------------------------------

    def pick(self, weighted: tuple[tuple[str, int], ...]) -> str:
        return self.rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]

    def word(self, syllables: tuple[int, int] = (2, 3)) -> str:
        return "".join(self.rng.choice(_SYLLABLES) for _ in range(self.rng.randint(*syllables))).capitalize()

    def unique_name(self, make: Any) -> str:
        for _ in range(1000):
            name = make()
            if name not in self.names:
                self.names.add(name)
                return str(name)
        raise RuntimeError("could not make a unique name")  # pragma: no cover

    def slug(self, text: str, suffix: str = "") -> str:
        table = str.maketrans("éèêëàâäïîôöûüç", "eeeeaaaiioouuc")
        words = "".join(ch if ch.isalnum() else " " for ch in text.lower().translate(table)).split()
        base = "-".join(words)[:60].strip("-") + (f"-{suffix}" if suffix else "")
        rid, n = base, 2
        while rid in self.ids:
            rid, n = f"{base}-{n}", n + 1
        self.ids.add(rid)
        return rid

    def zipf(self, n: int, s: float = 1.0) -> list[float]:
        """Weights for picking among ``n`` items: a few are popular, most are rare."""
        return [1 / (rank + 1) ** s for rank in range(n)]

    def date(self, year: int) -> tuple[str | int, str]:
        """(EDTF value, display text) at a realistic mix of precisions."""
        r = self.rng.random()
        month, day = self.rng.randint(1, 12), self.rng.randint(1, 28)
        if r < 0.72:
            return f"{year:04d}-{month:02d}-{day:02d}", f"{day} {_MONTHS[month - 1]} {year}"
        if r < 0.87:
            return f"{year:04d}-{month:02d}", f"{_MONTHS[month - 1]} {year}"
        if r < 0.93:
            return year, f"{year}"
        if r < 0.97:
            return f"{year:04d}~", f"around {year}"
        end = min(12, month + self.rng.randint(1, 3))
        if end == month:
            return f"{year:04d}-{month:02d}", f"{_MONTHS[month - 1]} {year}"
        return f"{year:04d}-{month:02d}/{year:04d}-{end:02d}", f"{_MONTHS[month - 1]} to {_MONTHS[end - 1]} {year}"

    def stamp(self, rec: dict[str, Any]) -> dict[str, Any]:
        """The day a record was added (every real record has one) and, for some, last updated."""
        added = self.rng.randint(0, 600)
        rec["added"] = _day(added)
        if self.rng.random() < 0.1:
            rec["updated"] = _day(added + self.rng.randint(1, 100))
        return rec

    # -- citations: a sentence in a source's text, quoted verbatim ------------

    def cite(self, sentence: str, *, locator: bool = False, source: _Source | None = None) -> dict[str, Any]:
        """Write ``sentence`` into a source's text and return a citation quoting (part of) it."""
        src = source or self.rng.choices(self.sources, self.source_weights)[0]
        paragraph = src.paragraphs[-1]
        paragraph.append(sentence)
        if len(paragraph) >= self.rng.randint(3, 6):
            src.paragraphs.append([])
        words = sentence.split()
        if len(words) > MAX_QUOTE_WORDS or self.rng.random() < 0.4:
            length = self.rng.randint(min(6, len(words)), min(len(words), 25))
            start = self.rng.randint(0, len(words) - length)
            words = words[start : start + length]
        citation: dict[str, Any] = {"source": src.record["id"], "quote": " ".join(words)}
        if locator and self.rng.random() < 0.3:
            citation["locator"] = f"paragraph {len(src.paragraphs)}"
        self.citations += 1
        return citation

    def cites(self, sentences: list[str], locator: bool = False) -> list[dict[str, Any]]:
        """One citation per sentence, from different sources where possible."""
        chosen: list[_Source] = []
        for _ in sentences:
            for _try in range(5):
                src = self.rng.choices(self.sources, self.source_weights)[0]
                if src not in chosen:
                    break
            chosen.append(src)
        return [self.cite(s, locator=locator, source=src) for s, src in zip(sentences, chosen, strict=True)]

    # -- records -----------------------------------------------------------

    def make_sources(self) -> list[dict[str, Any]]:
        first, last = self.c.years
        records = []
        for i in range(self.c.sources):
            year = self.rng.randint(first, last)
            pub = self.rng.choice(_PUBLISHERS).format(W=self.word())
            title = self.unique_name(
                lambda: f"{self.word()}: {self.rng.choice(_TOPICS)} in the {self.word()} ({self.rng.randint(1, 99)})"
            )
            published, _ = self.date(year)
            rec: dict[str, Any] = {"id": self.slug(title, f"{year}"), "title": title, "publisher": pub}
            if self.rng.random() < 0.6:
                rec["author"] = f"{self.rng.choice(_FIRST)} {self.word()}"
            else:
                rec["author_note"] = "unsigned"
            rec["published"] = published if not isinstance(published, str) or "/" not in published else year
            if self.rng.random() < 0.2:
                rec["published"] = f"{year}~"
                rec["date_note"] = "Undated; inferred from the latest event it reports."
            rec["language"] = self.rng.choice(["en", "en", "en", "fr"])
            if self.rng.random() < 0.7:
                rec["url"] = f"https://news{i % 7}.example.org/{year}/{rec['id']}"
            else:
                rec["url_note"] = "Original address not verified."
            rec["archive"] = f"src-{i:05d}.txt"
            if self.rng.random() < 0.5:
                rec["summary"] = f"A report by {pub} on the conflict in the {self.word()} region, with dated entries."
            records.append(self.stamp(rec))
            self.sources.append(_Source(rec))
        self.source_weights = self.zipf(len(self.sources), 0.6)
        return records

    def make_places(self) -> list[dict[str, Any]]:
        n = self.c.places
        countries = max(1, min(8, n // 20))
        regions = max(1, n // 6)
        records: list[dict[str, Any]] = []
        self.countries: list[str] = []
        self.regions: list[str] = []
        for i in range(n):
            name = self.unique_name(lambda: self.word((2, 4)))
            if i < countries:
                kind, within = "country", None
            elif i < countries + regions:
                kind, within = (
                    self.rng.choice(["region", "region", "area", "border-area"]),
                    self.rng.choice(self.countries),
                )
            else:
                kind = self.rng.choice(["town", "town", "village", "village", "city", "site"])
                within = self.rng.choice(self.regions) if self.regions else self.rng.choice(self.countries)
            rid = self.slug(name)
            rec: dict[str, Any] = {"id": rid, "name": name, "kind": kind}
            if self.rng.random() < 0.25:
                rec["aliases"] = [name.replace("ou", "u"), f"{name}-{self.word((1, 2))}"]
            if within:
                rec["within"] = within
            rec["coords"] = {
                "lat": round(self.rng.uniform(10.0, 24.0), 4),
                "lon": round(self.rng.uniform(-12.0, 15.0), 4),
            }
            if self.rng.random() < 0.3:
                rec["summary"] = f"A {kind.replace('-', ' ')} on the road between {self.word()} and {self.word()}."
            rec["citations"] = [
                self.cite(
                    f"The {kind.replace('-', ' ')} of {name} lies {self.rng.randint(5, 300)} km from {self.word()}."
                )
            ]
            records.append(self.stamp(rec))
            (self.countries if kind == "country" else self.regions if i < countries + regions else []).append(rid)
        self.places = [r["id"] for r in records]
        self.place_names = {r["id"]: r["name"] for r in records}
        self.place_weights = self.zipf(len(records), 0.8)
        return records

    def make_groups(self) -> list[dict[str, Any]]:
        first, last = self.c.years
        records = []
        for _ in range(self.c.groups):
            name = self.unique_name(
                lambda: self.rng.choice(_GROUP_PATTERNS).format(w=self.word().lower(), W=self.word(), V=self.word())
            )
            short = "".join(w[0] for w in name.replace("-", " ").split() if w[0].isupper())
            rec: dict[str, Any] = {"id": self.slug(name), "name": name}
            if len(short) >= 2 and self.rng.random() < 0.7:
                rec["short_name"] = short
            aliases = []
            if "short_name" in rec:
                aliases.append(short)
            if self.rng.random() < 0.5:
                aliases.append(f"Groupe {self.word()}")
            if self.rng.random() < 0.2:
                aliases.append(f"al-{self.word()} *{self.word()}*")
            if aliases:
                rec["aliases"] = aliases
            rec["kind"] = self.pick(_GROUP_KINDS)
            founded = self.rng.randint(first - 10, last - 1)
            home = self.place_names[self.rng.choice(self.places)]
            rec["summary"] = (
                f"An armed group founded around {founded}, active in the {home} "
                f"area; its fighters (_mujahideen_) operate in small units [{self.rng.randint(2, 9)} cells]."
            )
            facts = [
                {
                    "topic": "founded",
                    "value": str(founded),
                    "text": f"Founded in {founded}.",
                    "citations": [self.cite(f"{name} was founded in {founded} by a handful of fighters.")],
                }
            ]
            if self.rng.random() < 0.2:  # contested founding year
                other = founded + self.rng.randint(1, 3)
                facts.append(
                    {
                        "topic": "founded",
                        "value": str(other),
                        "text": f"First appeared in {other}, according to officials.",
                        "citations": [self.cite(f"{name} first appeared in {other}, according to local officials.")],
                    }
                )
            if self.rng.random() < 0.6:
                n = self.rng.randint(1, 40) * 50
                as_of = self.rng.randint(founded + 1, last + 1) if founded < last else last
                as_of = min(as_of, last)
                facts.append(
                    {
                        "topic": "strength",
                        "value": f"{n:,}",
                        "as_of": as_of,
                        "text": f"About {n:,} fighters in {as_of}.",
                        "citations": [self.cite(f"By {as_of} {name} had some {n:,} fighters.")],
                    }
                )
            if self.rng.random() < 0.7:
                about = self.weighted_sample(self.places, self.place_weights, self.rng.randint(1, 3))
                facts.append(
                    {
                        "topic": "area",
                        "text": "Active in " + ", ".join(self.place_names[p] for p in about) + ".",
                        "about": about,
                        "citations": [
                            self.cite(
                                f"{name} is active around " + " and ".join(self.place_names[p] for p in about) + "."
                            )
                        ],
                    }
                )
            rec["facts"] = facts
            if self.rng.random() < 0.1:
                rec["note"] = "The sources spell the name in several ways; the wiki uses the most common one."
            rec["citations"] = self.cites([f"{name} claimed several attacks in {self.rng.randint(first, last)}."])
            records.append(self.stamp(rec))
        self.groups = [r["id"] for r in records]
        self.group_names = {r["id"]: r["name"] for r in records}
        self.group_order = {group: n for n, group in enumerate(self.groups)}
        self.group_weights = self.zipf(len(records), 1.0)
        return records

    def make_people(self) -> list[dict[str, Any]]:
        records = []
        for _ in range(self.c.people):
            unnamed = self.rng.random() < 0.08
            if unnamed:
                name = self.unique_name(
                    lambda: f"Unnamed {self.rng.choice(['commander', 'emir', 'spokesman', 'officer'])} of {self.word()}"
                )
            else:
                name = self.unique_name(
                    lambda: (
                        f"{self.rng.choice(_FIRST)} {self.rng.choice(['ag ', 'Ould ', 'Ben ', 'al-', ''])}{self.word()}"
                    )
                )
            rec: dict[str, Any] = {"id": self.slug(name), "name": name}
            if not unnamed and self.rng.random() < 0.5:
                rec["aliases"] = [f"Abu {self.word()}", name.split()[-1]]
            if unnamed:
                rec["unnamed"] = True
            group = self.group_names[self.rng.choice(self.groups)]
            if self.rng.random() < 0.7:
                rec["summary"] = f"A leader of {group}, often described as its emir."
            if self.rng.random() < 0.4:
                rec["facts"] = [
                    {
                        "topic": "title",
                        "value": f"Emir of {group}"[:300],
                        "text": f"Emir of {group}.",
                        "citations": [self.cite(f"{name} is the emir of {group}.")],
                    }
                ]
            rec["citations"] = self.cites([f"{name}, a commander of {group}, was named in the report."])
            records.append(self.stamp(rec))
        self.people = [r["id"] for r in records]
        self.person_names = {r["id"]: r["name"] for r in records}
        return records

    def make_relations(self) -> list[dict[str, Any]]:
        first, last = self.c.years
        records = []
        seen: set[tuple[str, str, str]] = set()
        attempts = 0
        while len(records) < self.c.relations and attempts < self.c.relations * 20:
            attempts += 1
            rtype = self.pick(_RELATION_TYPES)
            if rtype in ("leader-of", "founder-of") or (rtype == "member-of" and self.rng.random() < 0.6):
                subject = self.rng.choice(self.people)
                subject_name = self.person_names[subject]
            else:
                subject = self.rng.choices(self.groups, self.group_weights)[0]
                subject_name = self.group_names[subject]
            obj = self.rng.choices(self.groups, self.group_weights)[0]
            if obj == subject or (subject, rtype, obj) in seen:
                continue
            if rtype in _LINEAGE_TYPES and self.group_order[subject] < self.group_order[obj]:
                # A lineage never loops back (the validator refuses A split from B split from A):
                # a group only descends from one made before it.
                subject, obj = obj, subject
                subject_name = self.group_names[subject]
                if (subject, rtype, obj) in seen:
                    continue
            seen.add((subject, rtype, obj))
            rec: dict[str, Any] = {
                "id": self.slug(f"{subject} {rtype} {obj}"),
                "type": rtype,
                "subject": subject,
                "object": obj,
            }
            start = self.rng.randint(first, last)
            if self.rng.random() < 0.7:
                rec["start"] = start
            if self.rng.random() < 0.3:
                rec["end"] = self.rng.randint(start, last)
            verb = rtype.replace("-", " ")
            if self.rng.random() < 0.3:
                rec["text"] = f"{subject_name} is described as {verb} {self.group_names[obj]}."
            rec["citations"] = self.cites(
                [f"In {start} {subject_name} was {verb} {self.group_names[obj]}, the report says."]
            )
            records.append(self.stamp(rec))
        return records

    def weighted_sample(self, items: list[str], weights: list[float], k: int) -> list[str]:
        chosen: list[str] = []
        for _ in range(k * 4):
            if len(chosen) == k:
                break
            item = self.rng.choices(items, weights)[0]
            if item not in chosen:
                chosen.append(item)
        return chosen

    def make_events(self) -> dict[int, list[dict[str, Any]]]:
        first, last = self.c.years
        years = list(range(first, last + 1))
        year_weights = [1 + 3 * i / max(1, len(years) - 1) for i in range(len(years))]  # more events in later years
        by_year: dict[int, list[dict[str, Any]]] = {y: [] for y in years}
        for _ in range(self.c.events):
            year = self.rng.choices(years, year_weights)[0]
            etype = self.pick(_EVENT_TYPES)
            date, when = self.date(year)
            places = self.weighted_sample(self.places, self.place_weights, self.rng.choice([1, 1, 1, 2, 2, 3]))
            where = " and ".join(self.place_names[p] for p in places)
            title = f"{etype.replace('-', ' ').capitalize()} {'in' if etype in _VIOLENT else 'concerning'} {where}"
            rec: dict[str, Any] = {
                "id": self.slug(f"{where.split(' and ')[0]} {etype} {str(date).replace('~', '')}"),
                "date": date,
            }
            if (isinstance(date, str) and date.endswith("~")) or self.rng.random() < 0.05:
                rec["date_note"] = "The source gives only an approximate date."
            rec["title"] = title[:300]
            rec["type"] = etype
            rec["places"] = places
            actors: list[dict[str, Any]] = []
            roles = _ROLES_VIOLENT if etype in _VIOLENT else _ROLES_OTHER
            chosen = self.weighted_sample(self.groups, self.group_weights, self.rng.choice([1, 1, 2, 2, 3]))
            for n, group in enumerate(chosen):
                role = self.pick(roles[:4] if n == 0 and etype in _VIOLENT else roles)  # the first one did it
                actor: dict[str, Any] = {"group": group, "role": role}
                if self.rng.random() < 0.05:
                    actor["note"] = "Named by the army; the group denied it."
                actors.append(actor)
            if self.people and self.rng.random() < 0.25:
                actors.append({"person": self.rng.choice(self.people), "role": self.pick(_ROLES_OTHER)})
            if actors:
                rec["actors"] = actors
            doer = self.group_names[actors[0]["group"]] if actors and "group" in actors[0] else "Gunmen"
            sentence = f"On {when}, {doer} {_VERBS.get(etype, 'was involved in events at')} {where}"
            if etype in _VIOLENT and self.rng.random() < 0.85:
                casualties = []
                words = []
                for category in self.rng.sample(_CATEGORIES, self.rng.randint(1, 3)):
                    item: dict[str, Any] = {"category": category}
                    killed = self.rng.randint(0, 40)
                    if self.rng.random() < 0.1:
                        item["killed"] = {"min": killed, "max": killed + self.rng.randint(1, 20)}
                        words.append(f"killing {killed} to {item['killed']['max']} {category}")
                    else:
                        item["killed"] = killed
                        words.append(f"killing {killed} {category}")
                    if self.rng.random() < 0.5:
                        item["wounded"] = self.rng.randint(0, 60)
                        words.append(f"wounding {item['wounded']}")
                    if self.rng.random() < 0.05:
                        item["note"] = "including two employees of the mission"
                    casualties.append(item)
                rec["casualties"] = casualties
                sentence += ", " + ", ".join(words[:4])
            if etype == "statistic" or self.rng.random() < 0.03:
                value = self.rng.randint(10, 5000)
                rec["figures"] = [
                    {
                        "measure": self.rng.choice(["kidnappings", "troops deployed", "attacks", "displaced people"]),
                        "value": value,
                        "qualifier": self.rng.choice(["exact", "about", "at-least", "over"]),
                        "period": year,
                    }
                ]
                sentence += f"; the figure for {year} was {value:,}"
            sentence += "."
            rec["summary"] = (
                f"{doer} {_VERBS.get(etype, 'took part in events at')} {where} ({when}). "
                + self.rng.choice(
                    [
                        "The army confirmed the toll the next day.",
                        "Local officials gave a different account of the casualties.",
                        "No group had claimed responsibility by the time of the report.",
                        "Residents said the fighters arrived on motorbikes & pick-up trucks.",
                    ]
                )
            )
            if self.rng.random() < 0.08:
                rec["note"] = "The sources disagree on the place; the wiki follows the most detailed account."
            extra = [f"Witnesses in {self.place_names[places[0]]} confirmed the events of {when} to reporters."]
            extra += [f"The {etype} at {where} on {when} was reported again later."] if self.rng.random() < 0.4 else []
            rec["citations"] = self.cites([sentence, *extra[: self.rng.randint(0, len(extra))]], locator=True)
            by_year[year].append(self.stamp(rec))
        return by_year

    # -- archive texts ---------------------------------------------------------

    def source_text(self, src: _Source) -> str:
        rec = src.record
        paragraphs = [p for p in src.paragraphs if p]
        self.rng.shuffle(paragraphs)
        blocks = [f"{rec['title']}", f"{rec['publisher']}, {rec['published']}."]
        for i, paragraph in enumerate(paragraphs):
            blocks.append(textwrap.fill(" ".join(paragraph), width=78, break_on_hyphens=False, break_long_words=False))
            if i % 4 == 3:
                blocks.append(self.rng.choice(_FILLER))
        blocks.append(_FILLER[0])
        blocks.append(_FILLER[1])
        return "\n\n".join(blocks) + "\n"


def _dump(key: str, records: list[dict[str, Any]], path: Path, header: str) -> int:
    text = header + yaml.dump({key: records}, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    data = text.encode("utf-8")
    if len(data) >= MAX_FILE_BYTES:
        raise ValueError(f"{path} would be {len(data) / 1_048_576:.1f} MB, over the 4 MB limit: widen the year range")
    path.write_bytes(data)
    return len(data)


def _clear(data_dir: Path, archive_dir: Path, overwrite: bool) -> None:
    """Refuse to write over anything but an earlier synthetic knowledge base."""
    project_data = (Path(__file__).resolve().parent.parent / "data").resolve()
    if data_dir.resolve() == project_data:
        raise ValueError(f"refusing to write synthetic data into the wiki's own {project_data}")
    leftovers = [p for d in (data_dir, archive_dir) if d.is_dir() for p in d.iterdir()]
    if leftovers and not overwrite:
        raise ValueError(f"{data_dir} or {archive_dir} is not empty: pass overwrite=True (--overwrite) to replace")
    for pattern, folder in (("*.yml", data_dir), ("*.yml", data_dir / "events"), ("*.txt", archive_dir)):
        if folder.is_dir():
            for path in folder.glob(pattern):
                path.unlink()


def generate(
    data_dir: Path | str,
    archive_dir: Path | str,
    events: int = 300,
    *,
    sources: int | None = None,
    groups: int | None = None,
    people: int | None = None,
    places: int | None = None,
    relations: int | None = None,
    years: tuple[int, int] = DEFAULT_YEARS,
    seed: int = 1,
    overwrite: bool = False,
) -> Stats:
    """Write a synthetic knowledge base into ``data_dir`` and its source texts into ``archive_dir``.

    Counts not given scale with ``events`` (see :data:`PER_300`).
    """
    data_dir, archive_dir = Path(data_dir), Path(archive_dir)
    if years[0] > years[1]:
        raise ValueError(f"empty year range {years[0]}–{years[1]}")
    counts = Counts.scaled(
        events, years, sources=sources, groups=groups, people=people, places=places, relations=relations
    )
    _clear(data_dir, archive_dir, overwrite)
    gen = _Generator(counts, seed)
    parts = {
        "sources": gen.make_sources(),
        "places": gen.make_places(),
        "groups": gen.make_groups(),
        "people": gen.make_people(),
    }
    parts["relations"] = gen.make_relations()
    by_year = gen.make_events()

    (data_dir / "events").mkdir(parents=True, exist_ok=True)
    archive_dir.mkdir(parents=True, exist_ok=True)
    stats = Stats(counts)
    header = f"# Synthetic data (bench/synth.py, seed {seed}); not real events.\n"
    for key, records in parts.items():
        path = data_dir / f"{key}.yml"
        stats.data_bytes += _dump(key, records, path, header)
        stats.files.append(str(path))
    for year, records in by_year.items():
        if records:
            path = data_dir / "events" / f"{year}.yml"
            stats.data_bytes += _dump("events", records, path, header)
            stats.files.append(str(path))
    for src in gen.sources:
        text = gen.source_text(src).encode("utf-8")
        (archive_dir / src.record["archive"]).write_bytes(text)
        stats.archive_bytes += len(text)
    stats.citations = gen.citations
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/synth.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="folder to write the data files into")
    parser.add_argument("--archive", type=Path, help="folder for the source texts (default: DATA/../archive)")
    parser.add_argument("--events", type=int, default=300)
    for name, per_300 in PER_300.items():
        parser.add_argument(f"--{name}", type=int, default=None, help=f"default: {per_300} per 300 events")
    parser.add_argument("--years", default=f"{DEFAULT_YEARS[0]}-{DEFAULT_YEARS[1]}", help="first-last year of events")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--overwrite", action="store_true", help="replace an earlier synthetic knowledge base")
    args = parser.parse_args(argv)
    first, _, last = args.years.partition("-")
    archive = args.archive or args.data.parent / "archive"
    try:
        stats = generate(
            args.data,
            archive,
            args.events,
            sources=args.sources,
            groups=args.groups,
            people=args.people,
            places=args.places,
            relations=args.relations,
            years=(int(first), int(last or first)),
            seed=args.seed,
            overwrite=args.overwrite,
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    c = stats.counts
    print(
        f"wrote {c.events} events, {c.sources} sources, {c.groups} groups, {c.people} people, {c.places} places, "
        f"{c.relations} relations ({c.years[0]}–{c.years[1]}), {stats.citations} citations: "
        f"{stats.data_bytes / 1024:.0f} KB of data in {args.data}, "
        f"{stats.archive_bytes / 1024:.0f} KB of texts in {archive}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
