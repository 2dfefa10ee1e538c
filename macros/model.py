"""The typed, frozen records of the knowledge base.

Every entity kind is a pydantic model: it gives us type checking of the YAML,
``extra="forbid"`` for typos, field-level error locations that
:mod:`macros.validate` turns into ``file:line`` messages, and the JSON Schema
that editors use (:mod:`macros.schema`), all from this one declaration.

Fields that name another record carry a :class:`Ref` marker; the validator
checks them all generically, so adding a reference field never needs new
checking code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.config import JsonDict

from .dates import Interval, Point, WikiDate, parse_date

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
#: Left by ``python -m macros.new`` in scaffolded records; the validator refuses it.
PLACEHOLDER = "CHANGE ME"
MAX_QUOTE_WORDS = 40


@dataclass(frozen=True, slots=True)
class Ref:
    """Marks a field whose value is the id of a record of one of ``kinds``."""

    kinds: tuple[str, ...]


GROUP = Ref(("group",))
PERSON = Ref(("person",))
PLACE = Ref(("place",))
SOURCE = Ref(("source",))
ENTITY = Ref(("group", "person", "place", "event"))


def _to_date(value: Any) -> WikiDate:
    if isinstance(value, Point | Interval):
        return value
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("a date must be text such as 2012, 2012-08, 2015-08-07, 2010~ or 2012/2014")
    # `date: 0000` is read by YAML as the number 0: quote it as it was most likely written.
    return parse_date("0000" if value == 0 else str(value))


Date = Annotated[
    Point | Interval,
    PlainValidator(_to_date),
    PlainSerializer(lambda d: d.edtf(), return_type=str),
    WithJsonSchema(
        {
            "type": ["string", "integer"],
            "pattern": r"^(\.\.|\d{4}(-\d{2}(-\d{2})?)?[~?%]?)(/(\.\.|\d{4}(-\d{2}(-\d{2})?)?[~?%]?))?$",
            "description": "EDTF subset: YYYY, YYYY-MM, YYYY-MM-DD, optional ~ (approximate) "
            "or ? (uncertain), or a range START/END with .. for an open end.",
            "examples": ["2012", "2012-08", "2015-08-07", "2010~", "2012-08/2012-09", "2013/.."],
        }
    ),
]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"']+$", max_length=500)]


class Model(BaseModel):
    """Base of every record: immutable, and unknown keys are errors (typos)."""

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)


# --------------------------------------------------------------------------
# Citations and facts
# --------------------------------------------------------------------------


class Citation(Model):
    """Where a statement comes from: a source and a short verbatim quote."""

    source: Annotated[Slug, SOURCE] = Field(description="Id of a record in data/sources.")
    quote: Text = Field(description=f"A short verbatim excerpt of the source (at most {MAX_QUOTE_WORDS} words).")
    locator: ShortText | None = Field(default=None, description="Where in the source, e.g. 'entry of August 7, 2015'.")

    @field_validator("quote")
    @classmethod
    def _short_quote(cls, quote: str) -> str:
        words = len(quote.split())
        if words > MAX_QUOTE_WORDS:
            raise ValueError(
                f"quote is {words} words long; quote at most {MAX_QUOTE_WORDS} words, "
                "only the words that support the statement"
            )
        return quote


Citations = Annotated[list[Citation], Field(min_length=1)]


class Fact(Model):
    """A cited statement about an entity, in the wiki's own words.

    Facts with the same ``topic`` and ``as_of`` but different ``value`` are
    shown side by side as contested.
    """

    topic: Slug = Field(
        description="What the fact is about: founded, dissolved, strength, area, title, "
        "funding, ideology, ... Facts sharing a topic are compared for contested values."
    )
    value: ShortText | None = Field(
        default=None, description="The short value compared across sources, e.g. '2018' or '12,000'."
    )
    as_of: Date | None = Field(default=None, description="When the fact held.")
    text: Text = Field(description="The statement in the wiki's own words.")
    about: list[Annotated[Slug, ENTITY]] = Field(
        default_factory=list, description="Ids of other records this fact mentions (linked)."
    )
    note: Text | None = Field(default=None, description="The wiki's own note or correction.")
    citations: Citations


class Entity(Model):
    """Fields shared by every record kind except sources."""

    KIND: ClassVar[str] = ""

    id: Slug = Field(description="Stable id, unique across the whole knowledge base.")
    name: ShortText
    aliases: list[ShortText] = Field(default_factory=list, description="Acronyms, spellings and translations.")
    summary: Text | None = Field(default=None, description="A short summary in the wiki's own words.")
    facts: list[Fact] = Field(default_factory=list)
    note: Text | None = Field(default=None, description="The wiki's own note.")
    citations: Citations
    added: Date | None = Field(default=None, description="Day the record was added to the wiki.")
    updated: Date | None = Field(default=None, description="Day the record was last changed.")


# --------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------


class Source(Model):
    """A document the facts are drawn from."""

    KIND: ClassVar[str] = "source"

    id: Slug
    title: ShortText
    title_note: Text | None = Field(default=None, description="How the title was established.")
    publisher: ShortText
    author: ShortText | None = None
    author_note: Text | None = Field(default=None, description="e.g. 'unsigned'.")
    published: Date
    date_note: Text | None = Field(default=None, description="How an inferred publication date was inferred.")
    url: Url | None = Field(default=None, description="Original address (http or https only).")
    url_note: Text | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")]
    archive: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]+\.txt$")] | None = Field(
        default=None, description="File name of the archived text, for the quote check."
    )
    summary: Text | None = None
    note: Text | None = None
    added: Date | None = None
    updated: Date | None = None


# --------------------------------------------------------------------------
# Groups, people, places
# --------------------------------------------------------------------------


class GroupKind(StrEnum):
    JIHADIST_GROUP = "jihadist-group"
    JIHADIST_ALLIANCE = "jihadist-alliance"
    ISLAMIST_GROUP = "islamist-group"
    REBEL_MOVEMENT = "rebel-movement"
    ARMED_GROUP = "armed-group"
    CRIMINAL_NETWORK = "criminal-network"
    COMMUNITY = "community"
    STATE_FORCES = "state-forces"
    GOVERNMENT = "government"
    MERCENARY_COMPANY = "mercenary-company"
    INTERNATIONAL_MISSION = "international-mission"
    INTERNATIONAL_ORGANISATION = "international-organisation"
    ALLIANCE = "alliance"
    POLITICAL_BODY = "political-body"
    MEDIA = "media"
    RESEARCH = "research"


class Group(Entity):
    """An organisation: armed group, state force, mission, alliance, political body, ..."""

    KIND: ClassVar[str] = "group"

    short_name: ShortText | None = Field(default=None, description="Usual acronym, e.g. AQIM.")
    kind: GroupKind


class Person(Entity):
    """A person named in the sources (or described without a name: ``unnamed: true``)."""

    KIND: ClassVar[str] = "person"

    unnamed: bool = Field(default=False, description="True for a person the sources describe without naming.")


class PlaceKind(StrEnum):
    COUNTRY = "country"
    REGION = "region"
    AREA = "area"
    BORDER_AREA = "border-area"
    CITY = "city"
    TOWN = "town"
    VILLAGE = "village"
    SITE = "site"


class Coordinates(Model):
    """The wiki's own approximate reference coordinates (no citation needed)."""

    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]


class Place(Entity):
    """A country, region, town, border area or site."""

    KIND: ClassVar[str] = "place"

    kind: PlaceKind
    within: Annotated[Slug, PLACE] | None = Field(
        default=None, description="Id of the place (region or country) this one lies in."
    )
    coords: Coordinates | None = Field(
        default=None, description="Approximate coordinates: the wiki's own reference data."
    )


# --------------------------------------------------------------------------
# Events
# --------------------------------------------------------------------------


class EventType(StrEnum):
    ATTACK = "attack"
    AMBUSH = "ambush"
    BOMBING = "bombing"
    AIRSTRIKE = "airstrike"
    SIEGE = "siege"
    KIDNAPPING = "kidnapping"
    RELEASE = "release"
    ARREST = "arrest"
    CHARGE = "charge"
    PUNISHMENT = "punishment"
    COUP = "coup"
    AGREEMENT = "agreement"
    NEGOTIATION = "negotiation"
    MEETING = "meeting"
    STATEMENT = "statement"
    REPORT = "report"
    PROCLAMATION = "proclamation"
    DEPLOYMENT = "deployment"
    WITHDRAWAL = "withdrawal"
    OPERATION = "operation"
    PROTEST = "protest"
    FOUNDING = "founding"
    SPLIT = "split"
    STATISTIC = "statistic"
    OTHER = "other"


class ActorRole(StrEnum):
    PERPETRATOR = "perpetrator"
    CLAIMED = "claimed"
    SUSPECTED = "suspected"
    ATTRIBUTED = "attributed"
    TARGET = "target"
    VICTIM = "victim"
    HOSTAGE = "hostage"
    MEDIATOR = "mediator"
    NEGOTIATOR = "negotiator"
    PARTY = "party"
    AUTHORITY = "authority"
    SUBJECT = "subject"
    LEADER = "leader"
    PARTICIPANT = "participant"
    REPORTER = "reporter"
    MENTIONED = "mentioned"


class Actor(Model):
    """A group or a person taking part in an event, with its role."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        hide_input_in_errors=True,
        json_schema_extra={"oneOf": [{"required": ["group"]}, {"required": ["person"]}]},
    )

    group: Annotated[Slug, GROUP] | None = None
    person: Annotated[Slug, PERSON] | None = None
    role: ActorRole
    note: Text | None = None

    @model_validator(mode="after")
    def _one_of(self) -> Actor:
        if (self.group is None) == (self.person is None):
            raise ValueError("an actor names exactly one of 'group' or 'person'")
        return self

    @property
    def ref(self) -> str:
        return self.group or self.person or ""


class Range(Model):
    """A figure the source leaves ambiguous: the lowest and highest reading."""

    min: NonNegativeInt
    max: NonNegativeInt

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.min > self.max:
            raise ValueError(f"range min {self.min} is larger than max {self.max}")
        return self


#: Killed or wounded in one category of one event. The deadliest single attacks of the
#: period this wiki covers killed hundreds; a six-digit toll for one event is a typo (a
#: digit too many), and one such number alone would flatten the statistics chart.
MAX_CASUALTIES = 100_000
#: Any other reported figure (people displaced, troops, money): a trillion is more than any
#: budget or ransom, and far inside the 2**53 up to which JavaScript reads the JSON download exactly.
MAX_FIGURE = 10**12


def _to_count(value: Any, limit: int = MAX_FIGURE) -> int | Range:
    if isinstance(value, Range):
        return value
    numbers = list(value.values()) if isinstance(value, dict) else [value]
    too_large = [v for v in numbers if isinstance(v, int) and not isinstance(v, bool) and v > limit]
    if too_large:
        raise ValueError(f"{too_large[0]:,} is not a plausible count (at most {limit:,} here): check the digits")
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, dict) and set(value) == {"min", "max"}:
        low, high = value["min"], value["max"]
        if all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in (low, high)):
            if low > high:
                raise ValueError(f"range min {low} is larger than max {high}")
            return Range(min=low, max=high)
    raise ValueError(
        f"{value!r} is not a count: write a whole number ≥ 0, or {{min: N, max: M}} where the source is ambiguous"
    )


def _count_schema(limit: int) -> dict[str, Any]:
    number = {"type": "integer", "minimum": 0, "maximum": limit}
    return {
        "oneOf": [
            number,
            {
                "type": "object",
                "properties": {"min": number, "max": number},
                "required": ["min", "max"],
                "additionalProperties": False,
            },
        ],
        "description": "A whole number, or {min, max} where the source is ambiguous.",
    }


_COUNT_OUT = PlainSerializer(lambda c: c if isinstance(c, int) else c.model_dump(), return_type=Any)
Count = Annotated[
    int | Range,
    PlainValidator(partial(_to_count, limit=MAX_FIGURE)),
    _COUNT_OUT,
    WithJsonSchema(_count_schema(MAX_FIGURE)),
]
CasualtyCount = Annotated[
    int | Range,
    PlainValidator(partial(_to_count, limit=MAX_CASUALTIES)),
    _COUNT_OUT,
    WithJsonSchema(_count_schema(MAX_CASUALTIES)),
]


class CasualtyCategory(StrEnum):
    CIVILIANS = "civilians"
    SOLDIERS = "soldiers"
    POLICE = "police"
    PEACEKEEPERS = "peacekeepers"
    ATTACKERS = "attackers"
    WORKERS = "workers"
    HOSTAGES = "hostages"
    UNSPECIFIED = "unspecified"


class Casualties(Model):
    """People killed and wounded in one category, exactly as the source reports."""

    category: CasualtyCategory
    killed: CasualtyCount | None = None
    wounded: CasualtyCount | None = None
    note: Text | None = Field(default=None, description="e.g. 'including five UN employees'.")

    @model_validator(mode="after")
    def _some_figure(self) -> Casualties:
        if self.killed is None and self.wounded is None:
            raise ValueError("give 'killed' or 'wounded' (or both)")
        return self


class Qualifier(StrEnum):
    EXACT = "exact"
    AT_LEAST = "at-least"
    OVER = "over"
    ABOUT = "about"
    UP_TO = "up-to"
    LESS_THAN = "less-than"


class Figure(Model):
    """A reported statistic: kidnappings in a year, troops deployed, ..."""

    measure: ShortText = Field(description="What is counted, e.g. 'kidnappings'.")
    value: Count
    qualifier: Qualifier = Qualifier.EXACT
    unit: ShortText | None = None
    period: Date | None = Field(default=None, description="The period the figure covers.")
    note: Text | None = None


class DateBasis(StrEnum):
    """What an event's day is the day of."""

    REPORT = "report"  # the report or diary entry that mentions it: it happened by then
    EVENT = "event"  # the source dates the event itself to that day


#: JSON Schema twin of Event._basis_fits_date: ``date_basis: report`` needs a date with an end day.
_REPORT_DATE_SCHEMA: JsonDict = {
    "if": {"properties": {"date_basis": {"const": "report"}}, "required": ["date_basis"]},
    "then": {"properties": {"date": {"type": "string", "pattern": r"/\d{4}(-\d{2}(-\d{2})?)?[~?%]?$"}}},
}


class Event(Model):
    """Something that happened at a date or over a period, or a reported statistic."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", hide_input_in_errors=True, json_schema_extra=_REPORT_DATE_SCHEMA
    )
    KIND: ClassVar[str] = "event"

    id: Slug
    date: Date
    date_basis: DateBasis | None = Field(
        default=None,
        description="'report': the date's end is only the day of the report that mentions the event "
        "(write date: ../2015-08-12, shown 'by 12 August 2015 (date of report)'); "
        "'event': the source dates the event itself to that day.",
    )
    date_note: Text | None = Field(default=None, description="How the date was established.")
    title: ShortText = Field(description="A short title in the wiki's own words.")
    type: EventType
    places: list[Annotated[Slug, PLACE]] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    casualties: list[Casualties] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    summary: Text = Field(description="What happened, in the wiki's own words.")
    note: Text | None = Field(default=None, description="The wiki's own note (uncertainty, corrections).")
    citations: Citations
    added: Date | None = None
    updated: Date | None = None

    @field_validator("date_basis")
    @classmethod
    def _basis_fits_date(cls, basis: DateBasis | None, info: ValidationInfo) -> DateBasis | None:
        date = info.data.get("date")
        if basis is DateBasis.REPORT and date is not None:
            if isinstance(date, Point):
                raise ValueError(
                    f"'report' means the event happened by the report's day: write date: ../{date.edtf()} "
                    "(or START/REPORT-DAY when the start is known)"
                )
            if date.end is None:
                raise ValueError(f"'report' needs the report's day as the end of the date, not '{date.edtf()}'")
        return basis

    @property
    def name(self) -> str:
        return self.title


# --------------------------------------------------------------------------
# Relations
# --------------------------------------------------------------------------


class RelationType(StrEnum):
    SPLIT_FROM = "split-from"
    MERGED_INTO = "merged-into"
    AFFILIATE_OF = "affiliate-of"
    ALLIED_WITH = "allied-with"
    RIVAL_OF = "rival-of"
    SUCCESSOR_OF = "successor-of"
    PART_OF = "part-of"
    MEMBER_OF = "member-of"
    LEADER_OF = "leader-of"
    FOUNDER_OF = "founder-of"


#: Which kinds of record may stand at each end of each relation type.
RELATION_ENDS: dict[RelationType, tuple[tuple[str, ...], tuple[str, ...]]] = {
    RelationType.LEADER_OF: (("person",), ("group",)),
    RelationType.FOUNDER_OF: (("person",), ("group",)),
    RelationType.MEMBER_OF: (("person", "group"), ("group",)),
}
GROUP_TO_GROUP: tuple[tuple[str, ...], tuple[str, ...]] = (("group",), ("group",))


class Relation(Model):
    """A dated, cited link between two records (subject → object)."""

    KIND: ClassVar[str] = "relation"

    id: Slug
    type: RelationType
    subject: Annotated[Slug, Ref(("group", "person"))]
    object: Annotated[Slug, GROUP]
    start: Date | None = Field(default=None, description="When the relation began (or happened).")
    end: Date | None = Field(default=None, description="When it ended.")
    text: Text | None = Field(default=None, description="The relation in the wiki's own words.")
    note: Text | None = None
    citations: Citations
    added: Date | None = None
    updated: Date | None = None

    @field_validator("end")
    @classmethod
    def _after_start(cls, end: WikiDate | None, info: ValidationInfo) -> WikiDate | None:
        start = info.data.get("start")
        if start is not None and end is not None and start.earliest > end.latest:
            raise ValueError(f"ends ({end.edtf()}) before it starts ({start.edtf()})")
        return end

    @model_validator(mode="after")
    def _ordered(self) -> Relation:
        if self.subject == self.object:
            raise ValueError("a relation links two different records")
        return self

    @property
    def ends(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return RELATION_ENDS.get(self.type, GROUP_TO_GROUP)


Record = Source | Group | Person | Place | Event | Relation

#: The top-level key of a data file → the model of its records.
KINDS: dict[str, type[Model]] = {
    "sources": Source,
    "groups": Group,
    "people": Person,
    "places": Place,
    "events": Event,
    "relations": Relation,
}
KIND_OF_KEY: dict[str, str] = {key: model.KIND for key, model in KINDS.items()}  # type: ignore[attr-defined]
KindKey = Literal["sources", "groups", "people", "places", "events", "relations"]
