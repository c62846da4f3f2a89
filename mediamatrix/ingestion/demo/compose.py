"""Writing one demo post: a title and paragraphs from a topic, shaped for the platform, and now
and then one of the problems the content checks look for.

The planted problems are recorded on the draft (`plants`) for the generator's summary only; the
post itself carries nothing that tells them apart from the rest.
"""

import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from mediamatrix.ingestion.demo import material
from mediamatrix.ingestion.demo.library import Library, Original
from mediamatrix.ingestion.demo.profiles import ARTICLE, SHORT, VIDEO, Profile
from mediamatrix.ingestion.demo.stories import GENERIC_SENTENCES, TOPICS
from mediamatrix.ingestion.demo.topics import LOCAL_TOPIC_UNITS, MEDIA_GOV_UNIT, TOPIC_UNITS, Topic
from mediamatrix.orgs.demo.accounts import person_name

# Chances per post (docs/benchmarks.md gives the resulting shares).
CLICKBAIT = 0.03
TYPO = 0.035
WIRE_REPRINT = {True: 0.03, False: 0.09}  # headline or not
ACCOUNT_REPRINT = 0.02
COPY = 0.02
RUMOUR_ACCOUNTS = 0.2  # share of small accounts that repeat a rumour once or twice
DEBUNK_ACCOUNTS = 0.25  # share of city and county accounts that publish a debunk
CORRECT_CARRIER = 0.05  # a typo-list word spelt right, so the checks see both


@dataclass(frozen=True)
class Draft:
    title: str
    paragraphs: tuple[str, ...]
    topic: str = ""
    kind: str = "original"  # original, reprint, copy, rumour, debunk
    declared_source: str = ""
    is_original: bool | None = None
    appeal: float = 1.0
    plants: tuple[tuple[str, str], ...] = ()  # (kind, detail) for the summary


class Fill(dict[str, str]):
    """Slot values for one post; numbers and names are drawn the first time a slot is used."""

    def __init__(self, rng: random.Random, profile: Profile, when: datetime) -> None:
        places = profile.places
        super().__init__(
            place=places.place,
            short=places.short,
            city=places.city,
            city_short=places.city_short,
            unit=places.unit,
            scope=places.scope,
            account=profile.account.name,
            editor=profile.editors[0],
            reviewer=profile.editors[1],
            year=str(when.year),
            month=str(when.month),
        )
        self.rng = rng
        self.when = when

    def __missing__(self, key: str) -> str:
        rng = self.rng
        if key in ("warn", "wx"):
            self["warn"], self["wx"] = rng.choice(material.weather_for_month(self.when.month))
            return self[key]
        value: Any
        match key:
            case "n" | "n2":
                value = rng.randint(2, 30)
            case "m" | "m2":
                value = rng.randint(50, 300) if rng.random() < 0.5 else rng.randint(300, 5000)
            case "wan" | "wan2":
                value = rng.randint(5, 900)
            case "yi":
                value = rng.randint(5, 300)
            case "pct":
                value = rng.randint(62, 98)
            case "pct2":
                value = rng.randint(10, 30)
            case "kg":
                value = rng.randint(30, 120)
            case "loan":
                value = rng.choice((60, 70, 80, 90, 100, 120))
            case "date":
                day = self.when - timedelta(days=rng.choice((0, 0, 1)))
                value = f"{day.month}月{day.day}日"
            case "date2":
                day = self.when + timedelta(days=rng.randint(3, 20))
                value = f"{day.month}月{day.day}日"
            case "hour":
                value = rng.choice((6, 8, 10, 16, 17, 20))
            case "color":
                value = rng.choice(material.WARNING_COLOURS)
            case "person":
                value = person_name(rng)
            case "road":
                value = rng.choice(material.ROADS)
            case "crop":
                value = rng.choice(material.CROPS)
            case "scenic":
                value = rng.choice(material.SCENIC).format_map(self)
            case _:
                raise KeyError(key)
        self[key] = str(value)
        return self[key]


class Composer:
    """Drafts the posts of one account, in time order, from its own random stream."""

    def __init__(self, profile: Profile, library: Library, issues: int) -> None:
        self.profile = profile
        self.rng = rng = profile.rng
        self.library = library
        # Which of the account's pushes or posts lead with a rumour, or a debunk of one.
        self.rumours: set[int] = set()
        self.debunks: set[int] = set()
        if issues and profile.small and rng.random() < RUMOUR_ACCOUNTS:
            self.rumours = set(rng.sample(range(issues), min(issues, rng.choice((1, 1, 1, 2)))))
        if issues and profile.tier in ("city", "county") and rng.random() < DEBUNK_ACCOUNTS:
            self.debunks = {rng.randrange(issues)}

    def draft(self, when: datetime, position: int | None, issue: int) -> Draft:
        rng, profile = self.rng, self.profile
        article = profile.style == ARTICLE
        headline = position in (None, 1)
        if headline and issue in self.rumours:
            return self._rumour(when)
        if headline and issue in self.debunks:
            return self._debunk(when)
        if article:
            roll = rng.random()
            if roll < WIRE_REPRINT[headline]:
                reprint = self._wire(when)
                if reprint is not None:
                    return reprint
            elif roll < WIRE_REPRINT[headline] + ACCOUNT_REPRINT:
                reprint = self._account_reprint(when)
                if reprint is not None:
                    return reprint
            elif roll < WIRE_REPRINT[headline] + ACCOUNT_REPRINT + COPY:
                copy = self._copy(when)
                if copy is not None:
                    return copy
        draft = self._original(when)
        if profile.style != VIDEO and rng.random() < TYPO:
            draft = self._misspell(draft, when)
        if rng.random() < CLICKBAIT:
            draft = self._clickbait(draft, when)
        return draft

    # Originals -----------------------------------------------------------------------------

    def _topic(self, when: datetime) -> Topic:
        profile = self.profile
        key = self.rng.choices(profile.topics, profile.topic_weights(when.month))[0]
        return TOPICS[key]

    def _acting_unit(self, topic: Topic) -> str:
        profile = self.profile
        if profile.tier in ("city_dept", "county_dept"):
            return profile.places.unit
        if profile.tier in ("township", "village"):
            return LOCAL_TOPIC_UNITS.get(topic.key, profile.places.unit)
        if topic.key == "gov":
            return MEDIA_GOV_UNIT if "media" in profile.tier else profile.places.unit
        return TOPIC_UNITS.get(topic.key, profile.places.unit)

    def _original(self, when: datetime) -> Draft:
        rng, style = self.rng, self.profile.style
        topic = self._topic(when)
        story = rng.choice(topic.stories)
        fill = Fill(rng, self.profile, when)
        fill["unit"] = self._acting_unit(topic).format_map(fill)
        title = rng.choice(story.titles).format_map(fill)
        own = rng.sample(story.sentences, rng.randint(2, len(story.sentences)))
        shared = rng.sample(topic.common, rng.randint(1, len(topic.common)))
        if rng.random() < CORRECT_CARRIER:
            shared.append(rng.choice(GENERIC_SENTENCES))
        own = [s.format_map(fill) for s in own]
        shared = [s.format_map(fill) for s in shared]
        if style == VIDEO:
            caption = f"{title} #{topic.tag} #{self.profile.places.short}"
            return Draft(caption, (), topic.key, appeal=topic.appeal)
        lead = story.lead.format_map(fill)
        if style == SHORT:
            text = f"【{title}】{lead}" + "".join(own[:2]) + f"#{topic.tag}#"
            return Draft(title, (text,), topic.key, appeal=topic.appeal)
        paragraphs = (lead, "".join(own), "".join(shared))
        is_original = True if rng.random() < 0.55 else None
        return Draft(title, paragraphs, topic.key, is_original=is_original, appeal=topic.appeal)

    def closing(self, when: datetime) -> str:
        return self.profile.closing.format_map(Fill(self.rng, self.profile, when))

    # Planted problems ----------------------------------------------------------------------

    def _misspell(self, draft: Draft, when: datetime) -> Draft:
        """Misspell a word the text has; failing that, add a stock phrase and misspell it."""
        rng = self.rng
        paragraphs = list(draft.paragraphs)
        present = [t for t in material.TYPOS if any(t[0] in p for p in paragraphs)]
        right, wrong, carrier = rng.choice(present or material.STOCK_TYPOS)
        if not present:
            where = len(paragraphs) - 1
            paragraphs[where] += carrier.format_map(Fill(rng, self.profile, when))
        where = next(i for i, p in enumerate(paragraphs) if right in p)
        paragraphs[where] = paragraphs[where].replace(right, wrong, 1)
        plant = ("typo", f"{wrong}/{right}")
        return replace(draft, paragraphs=tuple(paragraphs), plants=(*draft.plants, plant))

    def _clickbait(self, draft: Draft, when: datetime) -> Draft:
        rng = self.rng
        roll = rng.random()
        title = draft.title.rstrip("！!。")
        if roll < 0.5 or self.profile.style == VIDEO:
            title = rng.choice(material.CLICKBAIT_PREFIXES) + title
        elif roll < 0.75:
            title += rng.choice(material.CLICKBAIT_SUFFIXES)
        else:
            title = rng.choice(material.CLICKBAIT_TITLES).format_map(Fill(rng, self.profile, when))
        return replace(
            draft,
            title=title,
            appeal=draft.appeal * 2.2,
            plants=(*draft.plants, ("clickbait", title)),
        )

    def _wire(self, when: datetime) -> Draft | None:
        stories = self.library.wire_before(when)
        if not stories:
            return None
        story = self.rng.choice(stories)
        return Draft(
            story.title,
            (*story.paragraphs, f"来源：{story.source}"),
            "wire",
            kind="reprint",
            declared_source=story.source,
            is_original=False,
            appeal=0.5,
            plants=(("reprint", story.source),),
        )

    def _account_reprint(self, when: datetime) -> Draft | None:
        pool = self.library.originals(when, owner_path=self.profile.account.owner_path)
        sources = [o for o in pool if o.tier in ("city", "city_media", "county", "county_media")]
        if not sources:
            return None
        original = self.rng.choice(sources)
        return Draft(
            original.title,
            (*original.paragraphs, f"来源：{original.account_name}"),
            "reprint",
            kind="reprint",
            declared_source=original.account_name,
            is_original=False,
            appeal=0.6,
            plants=(("reprint", original.account_name),),
        )

    def _copy(self, when: datetime) -> Draft | None:
        """Another account's article passed off as one's own, lightly reworded (洗稿)."""
        rng, places = self.rng, self.profile.places
        pool = self.library.originals(when, owner_path=self.profile.account.owner_path)
        if not pool:
            return None
        original = rng.choice(pool)

        def edit(text: str) -> str:
            if original.place and original.place != places.place:
                text = text.replace(original.place, places.place)
            return text

        paragraphs = [edit(p) for p in original.paragraphs]
        edits = [(a, b) for a, b in material.REWORDINGS if any(a in p for p in paragraphs)]
        for old, new in rng.sample(edits, min(len(edits), rng.randint(1, 3))):
            where = next(i for i, p in enumerate(paragraphs) if old in p)
            paragraphs[where] = paragraphs[where].replace(old, new, 1)
        return Draft(
            edit(original.title),
            tuple(paragraphs),
            "copy",
            kind="copy",
            is_original=True if rng.random() < 0.4 else None,
            appeal=0.7,
            plants=(("copy", original.key),),
        )

    def _rumour(self, when: datetime) -> Draft:
        rng, profile = self.rng, self.profile
        rumour = rng.choice(material.rumours())
        fill = Fill(rng, profile, when)
        title = rng.choice(rumour["titles"]).format_map(fill)
        claim = rng.choice(rumour["variants"]).format_map(fill)
        plants = (("rumour", rumour["id"]),)
        if profile.style == VIDEO:
            return Draft(f"{title} #扩散", (), "rumour", kind="rumour", appeal=3.0, plants=plants)
        chatter = rng.choice(
            ("大家互相转告！", "宁可信其有，转发给身边的人。", "消息来源可靠，速转！")
        )
        return Draft(title, (claim + chatter,), "rumour", kind="rumour", appeal=3.0, plants=plants)

    def _debunk(self, when: datetime) -> Draft:
        rng, profile = self.rng, self.profile
        rumour = rng.choice(material.rumours())
        debunk = rumour["debunk"]
        reminder = (
            f"{profile.places.unit}提醒：请广大市民不信谣、不传谣，如有疑问可拨打12345热线咨询。"
        )
        plants = (("debunk", rumour["id"]),)
        if profile.style == VIDEO:
            return Draft(f"{debunk['title']} #辟谣", (), "debunk", kind="debunk", plants=plants)
        if profile.style == SHORT:
            text = f"【{debunk['title']}】{debunk['text']}#辟谣#"
            return Draft(debunk["title"], (text,), "debunk", kind="debunk", plants=plants)
        return Draft(
            debunk["title"], (debunk["text"], reminder), "debunk", kind="debunk", plants=plants
        )


def article_paragraphs(composer: Composer, draft: Draft, when: datetime) -> tuple[str, ...]:
    """An article's paragraphs with the account's own closing line (reprints keep their source)."""
    if composer.profile.style != ARTICLE or draft.kind == "reprint":
        return draft.paragraphs
    return (*draft.paragraphs, composer.closing(when))


def as_original(composer: Composer, draft: Draft, external_id: str, when: datetime) -> Original:
    profile = composer.profile
    account = profile.account
    return Original(
        account_name=account.name,
        platform=account.platform,
        handle=account.handle,
        owner_path=account.owner_path,
        tier=profile.tier,
        place=profile.places.place,
        external_id=external_id,
        title=draft.title,
        paragraphs=draft.paragraphs,
        published_at=when,
    )
