"""What accounts can reprint or copy: national wire copy, and the originals of earlier accounts.

Accounts are generated one after another in id order; every original article goes into a pool
bucketed by day, from which later accounts reprint (naming the source) or copy (naming nobody).
The pool keeps a bounded, deterministic sample per day so a province-sized run stays in memory.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from mediamatrix.ingestion.demo import material
from mediamatrix.ingestion.demo.material import WIRE, WIRE_THEMES

PER_DAY = 24


@dataclass(frozen=True)
class Original:
    """An article as another account may find it."""

    account_name: str
    platform: str
    handle: str
    owner_path: str
    tier: str
    place: str
    external_id: str
    title: str
    paragraphs: tuple[str, ...]  # without the account's closing line
    published_at: datetime

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.handle}:{self.external_id}"


@dataclass(frozen=True)
class WireStory:
    source: str
    title: str
    paragraphs: tuple[str, ...]
    published_at: datetime


class Library:
    def __init__(self, seed: int, start: datetime, end: datetime) -> None:
        self.start = start
        self.rng = random.Random(f"{seed}:library")
        self.days: dict[int, list[Original]] = {}
        self.wire = _wire_stories(random.Random(f"{seed}:wire"), start, end)

    def _day(self, when: datetime) -> int:
        return (when - self.start).days

    def offer(self, original: Original) -> None:
        bucket = self.days.setdefault(self._day(original.published_at), [])
        if len(bucket) < PER_DAY:
            bucket.append(original)
        elif self.rng.random() < 0.25:
            bucket[self.rng.randrange(PER_DAY)] = original

    def originals(
        self, before: datetime, *, owner_path: str, within_days: int = 5
    ) -> list[Original]:
        """Other owners' originals published in the few days before `before`."""
        found = []
        for day in range(self._day(before) - within_days, self._day(before) + 1):
            for original in self.days.get(day, ()):
                if original.owner_path != owner_path and (
                    before - timedelta(days=within_days)
                    <= original.published_at
                    < before - timedelta(hours=1)
                ):
                    found.append(original)
        return found

    def wire_before(self, when: datetime) -> list[WireStory]:
        return [s for s in self.wire if when - timedelta(days=2) <= s.published_at < when]


def _wire_stories(rng: random.Random, start: datetime, end: datetime) -> list[WireStory]:
    """About one national story every three days across the window."""
    stories = []
    count = max(1, (end - start).days // 3)
    for _ in range(count):
        at = start + timedelta(seconds=rng.uniform(0, (end - start).total_seconds()))
        template = rng.choice(WIRE)
        warn, wx = rng.choice(material.weather_for_month(at.month))
        values = {
            "date": f"{at.month}月{at.day}日",
            "theme": rng.choice(WIRE_THEMES),
            "warn": warn,
            "wx": wx,
            "n": str(rng.randint(5, 12)),
            "year": str(at.year + (1 if at.month >= 9 else 0)),
        }
        sentences = rng.sample(template.sentences, rng.randint(3, len(template.sentences)))
        source = rng.choice(material.NATIONAL_SOURCES)
        lead = template.lead.format_map(values)
        if source == "新华社":
            lead = f"新华社北京{values['date']}电 " + lead
        body = (
            lead,
            "".join(sentences[:2]).format_map(values),
            "".join(sentences[2:]).format_map(values),
        )
        stories.append(
            WireStory(source, template.title.format_map(values), tuple(p for p in body if p), at)
        )
    stories.sort(key=lambda s: s.published_at)
    return stories
