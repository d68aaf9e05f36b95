"""The invented world the generated sources report on, and the rule that introduces its entities.

Places, organisations, plans, funds, products and concepts are shared: many sources talk about
one city, its plan and its grant, as the two real Mianyang releases do. As in the real data an
entity's type and label (and whatever the shapes require of it: a city's province, an agency's
jurisdiction, a plan's approver, a concept's scheme) are stated in the graph of the sentence that
first mentions it (:meth:`World.mention`); later sources only refer to it. What no source states
(Chinese labels, notes on the sources' disagreements, the concept schemes) goes to the curation
graph, attributed to the editors, as ``data/curation.trig`` does.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from generate.trig import NamedGraph, en, entity, zh

# Pinyin syllables with their characters: invented names read as Chinese and have a Chinese label.
SYLLABLES = {
    "long": "龙", "feng": "凤", "jin": "金", "hua": "华", "shan": "山", "he": "河", "an": "安",
    "ning": "宁", "yang": "阳", "chang": "昌", "de": "德", "xin": "新", "tai": "泰", "ping": "平",
    "kang": "康", "yuan": "源", "qing": "清", "hai": "海", "dong": "东", "xi": "西", "nan": "南",
    "bei": "北", "fu": "富", "lin": "林", "guang": "广", "ming": "明", "tian": "天", "shui": "水",
    "jiang": "江", "yun": "云", "hong": "红", "bao": "宝", "xing": "兴", "shun": "顺", "rong": "荣",
    "zhou": "州", "cheng": "城", "wu": "武", "jia": "嘉", "le": "乐",
}

CONCEPTS: dict[str, tuple[str, str, list[str]]] = {
    # class: (scheme slug, scheme label, concept labels)
    "FocusArea": ("focus-area-scheme", "focus areas", [
        "electronic information technology", "application of nuclear technology", "new materials",
        "aerospace equipment", "intelligent manufacturing", "satellite navigation", "new energy vehicles",
        "biomedicine", "integrated circuits", "marine equipment"]),
    "Sector": ("sector-scheme", "sectors", [
        "military and defense industries", "civilian sectors", "military sector", "strategic emerging industries",
        "civil aviation", "public security", "emergency rescue", "telecommunications", "energy", "agriculture"]),
    "TechnologyField": ("technology-field-scheme", "technology fields", [
        "fine chemicals", "nuclear physics", "laser technology", "mechatronics", "air traffic control systems",
        "radar", "optoelectronics", "composite materials", "unmanned aerial systems", "precision machining"]),
    "PlatformKind": ("platform-kind-scheme", "innovation platform kinds", [
        "state-level enterprise technology center", "national-local joint engineering laboratory",
        "national-local joint engineering research center", "key laboratory of national defense science",
        "provincial engineering technology research center", "academician workstation"]),
    "IntegrationMechanism": ("integration-mechanism-scheme", "military-civilian integration mechanisms", [
        "defense scientific research services", "military-civilian resource sharing",
        "military-civilian integration and exchange", "joint procurement", "shared testing facilities",
        "dual-use standards coordination"]),
    "TransferableResource": ("transferable-resource-scheme", "transferable resources", [
        "technology", "talent", "capacity", "equipment", "patents", "capital"]),
    "Indicator": ("indicator-scheme", "outcome indicators", [
        "output", "increase", "attracted investment", "technology cooperation", "tax revenue", "employment"]),
    "DevelopmentPriority": ("development-priority-scheme", "development priorities", [
        "developing military-civilian integration", "accelerating high-tech industry clusters",
        "transformation and upgrading of industries", "innovation-driven development",
        "accelerating the transfer of advanced technologies", "opening up to the world"]),
}


@dataclass
class Entity:
    """A thing some source introduces: its types, English label and the facts stated with it."""

    slug: str
    types: tuple[str, ...]
    label: str
    facts: list[tuple[str, Entity | str]] = field(default_factory=list)
    chinese: str | None = None  # its Chinese name, which the editors add (no generated source is in Chinese)

    @property
    def term(self) -> str:
        return entity(self.slug)


def slugify(text: str) -> str:
    return "-".join("".join(c for c in word if c.isalnum()) for word in text.lower().replace("-", " ").split())


@dataclass
class City:
    """A city and what sources report about it; the plan, grant and portfolio are made on first use."""

    place: Entity
    province: Entity
    publisher: Entity
    official: Entity
    cluster: Entity
    plan: Entity
    project: Entity
    name: str
    grant: Entity | None = None
    grant_amount: int = 0
    grant_first: tuple[str, str] = ("", "")  # (source, amount term) of the first source to state the grant
    grant_claim: tuple[str, str, int] = ("", "", 0)  # (source, amount term, value) of the latest source
    portfolio: Entity | None = None
    portfolio_count: int = 0
    portfolio_first_source: str = ""
    portfolio_claim: tuple[str, int, str] = ("", 0, "")  # (source, count, total investment term)
    enterprises: list[Entity] = field(default_factory=list)
    products: list[Entity] = field(default_factory=list)


class World:
    """Every shared entity, which have been introduced, and the curation graph."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.day = datetime.date(2015, 1, 1)  # publication date of the latest source
        self.introduced: set[str] = set()
        self.used_names: set[str] = set()
        self.used_slugs: set[str] = set()
        self.curation = NamedGraph("mcfg:curation")
        self.cities: list[City] = []
        self.provinces: list[Entity] = []
        self.concepts = {kind: [self._concept(kind, label) for label in labels]
                         for kind, (_, _, labels) in CONCEPTS.items()}
        self.china = self.make("china", ("mcf:Country",), "China", zh_label="中国")
        self.western_region = self.make("western-region", ("mcf:Region",), "western region",
                                        [("mcf:locatedIn", self.china)], zh_label="西部地区")
        national = [("mcf:jurisdiction", self.china)]
        self.ndrc = self.make("ndrc", ("mcf:GovernmentAgency",), "National Development and Reform Commission",
                              [*national, ("skos:altLabel", en("NDRC"))], zh_label="国家发展和改革委员会")
        self.sastind = self.make("sastind", ("mcf:GovernmentAgency",),
                                 "State Administration for Science, Technology and Industry for National Defense",
                                 national, zh_label="国家国防科技工业局")
        self.miit = self.make("miit", ("mcf:GovernmentAgency",), "Ministry of Industry and Information Technology",
                              national, zh_label="工业和信息化部")
        self.central_government = self.make("central-government", ("mcf:Government",), "central government",
                                            national, zh_label="中央政府")
        self.funds = [self.make(slugify(name), ("mcf:Fund",), name) for name in (
            "National Special Fund", "National Military-Civil Fusion Industry Investment Fund",
            "Special Fund for Defense Technology Transfer")]
        party = self.make("communist-party-of-china", ("mcf:PoliticalParty",), "Communist Party", zh_label="中国共产党")
        congress = self.make("nineteenth-national-congress", ("mcf:PartyCongress",), "19th National Congress",
                             [("mcf:congressOf", party)])
        committee = self.make("cpc-central-committee", ("mcf:PartyOrgan",), "Central Committee of the Communist Party",
                              [("org:subOrganizationOf", party)], zh_label="中国共产党中央委员会")
        council = self.make("state-council", ("mcf:GovernmentAgency",), "State Council", national, zh_label="国务院")
        self.policies = [
            self.make("xi-jinping-thought", ("mcf:GuidingIdeology",),
                      "Xi Jinping Thought on Socialism with Chinese Characteristics for a New Era"),
            self.make("nineteenth-national-congress-guidelines", ("mcf:Guideline",),
                      "guidelines from the 19th National Congress", [("prov:wasAttributedTo", congress)]),
            self.make("central-committee-and-state-council-decisions", ("mcf:Decision",),
                      "decisions of the Central Committee of the Communist Party and the State Council",
                      [("prov:wasAttributedTo", committee), ("prov:wasAttributedTo", council)]),
        ]
        self.awards = [self.make(slugify(name), ("mcf:Award",), name, [("mcf:awardingJurisdiction", self.china)])
                       for name in ("National Science and Technology Progress Award",
                                    "National Technological Invention Award")]
        self.awards.append(self.make("army-science-and-technology-progress-award", ("mcf:Award",),
                                     "Army Science and Technology Progress Award"))
        self.collectives = [self.make(slugify(name), ("mcf:OrganizationCollective",), name) for name in (
            "military enterprises", "military scientific research institutes", "private enterprises",
            "enterprises outside")]
        editors = self.make("mcfkg-editors", ("mcf:EditorialTeam",), "mcfkg editors")
        for kind, (scheme, label, _) in CONCEPTS.items():
            self.curation.add(entity(scheme), "a", "skos:ConceptScheme")
            self.curation.add(entity(scheme), "rdfs:label", en(label))
        self.curation.add("mcfg:curation", "a", "mcf:CurationGraph")
        self.curation.add("mcfg:curation", "rdfs:label", en("mcfkg editorial curation (generated)"))
        self.curation.add("mcfg:curation", "prov:wasAttributedTo", editors.term)
        self.mention(self.curation, editors)

    # ------------------------------------------------------------------ making and introducing
    def reserve(self, slug: str) -> str:
        """A slug no entity has (``slug``, else ``slug-2``, ``slug-3``...), now taken."""
        base, n = slug, 1
        while slug in self.used_slugs:
            n += 1
            slug = f"{base}-{n}"
        self.used_slugs.add(slug)
        return slug

    def make(self, slug: str, types: tuple[str, ...], label: str, facts: Sequence[tuple[str, Entity | str]] = (),
             zh_label: str | None = None) -> Entity:
        """A new entity with a slug no other has; its Chinese label goes to the curation graph when it is introduced."""
        return Entity(self.reserve(slug), types, label, list(facts), zh_label)

    def mention(self, graph: NamedGraph, thing: Entity) -> str:
        """``thing``'s term; on its first mention anywhere, its type, label and facts go into ``graph``."""
        if thing.slug not in self.introduced:
            self.introduced.add(thing.slug)
            for kind in thing.types:
                graph.add(thing.term, "a", kind)
            graph.add(thing.term, "rdfs:label", en(thing.label))
            if thing.chinese:
                self.curation.add(thing.term, "rdfs:label", zh(thing.chinese))
            for predicate, obj in thing.facts:
                graph.add(thing.term, predicate, self.mention(graph, obj) if isinstance(obj, Entity) else obj)
        return thing.term

    def note(self, thing: Entity | str, text: str) -> None:
        """An editors' note (``skos:editorialNote``) in the curation graph."""
        self.curation.add(thing.term if isinstance(thing, Entity) else thing, "skos:editorialNote", en(text))

    def _concept(self, kind: str, label: str) -> Entity:
        scheme = CONCEPTS[kind][0]
        return self.make(slugify(label), (f"mcf:{kind}",), label, [("skos:inScheme", entity(scheme))])

    def concepts_of(self, kind: str, k: int) -> list[Entity]:
        pool = self.concepts[kind]
        return self.rng.sample(pool, min(k, len(pool)))

    # ------------------------------------------------------------------ names and places
    def name(self) -> tuple[str, str]:
        """A new pinyin name and its characters, e.g. ("Longfeng", "龙凤")."""
        syllables = list(SYLLABLES)
        for length in (2, 3, 4):
            for _ in range(50):
                parts = self.rng.sample(syllables, length)
                word = "".join(parts).capitalize()
                if word not in self.used_names:
                    self.used_names.add(word)
                    return word, "".join(SYLLABLES[p] for p in parts)
        raise RuntimeError("out of invented names; add syllables to SYLLABLES")

    def city(self, new_share: float = 0.3) -> City:
        """A city the next source is about: a new one with probability ``new_share``, else one already reported on."""
        if self.cities and self.rng.random() >= new_share:
            return self.rng.choice(self.cities)
        if not self.provinces or self.rng.random() < 0.2:
            word, chars = self.name()
            regions = [self.china, self.western_region] if self.rng.random() < 0.4 else [self.china]
            province = self.make(slugify(word), ("mcf:Province",), word,
                                 [("mcf:locatedIn", region) for region in regions], zh_label=chars)
            self.provinces.append(province)
        province = self.rng.choice(self.provinces)
        word, chars = self.name()
        place = self.make(slugify(word), ("mcf:City",), word, [("mcf:locatedIn", province)], zh_label=chars)
        if self.rng.random() < 0.2:  # a source misspells the city, as the Mianyang releases write "Miangyang"
            slip = word[:2] + word[1:]
            place.facts.append(("skos:hiddenLabel", en(slip)))
            self.note(place, f"The source that introduces {word} misspells it as '{slip}' (kept as a hidden label).")
        publisher = self.make(f"{place.slug}-drc", ("mcf:GovernmentAgency",),
                              f"{word} Development and Reform Commission", [("mcf:jurisdiction", place)],
                              zh_label=f"{chars}市发展和改革委员会")
        official = self.make(f"{place.slug}-drc-official", ("prov:Person", "foaf:Person"),
                             f"official of the {word} Development and Reform Commission (not named in the source)",
                             [("org:memberOf", publisher)])
        cluster = self.make(f"{place.slug}-mcf-industry-cluster", ("mcf:IndustryCluster",),
                            f"military-civilian integration high-tech industry cluster of {word}",
                            [("mcf:locatedIn", place)])
        plan = self.make(f"{place.slug}-mcf-cluster-plan", ("mcf:ImplementationPlan",),
                         f"Implementation Plan for the Military-Civilian Integration High-Tech Cluster of {word}",
                         [("mcf:approvedBy", self.rng.choice([self.ndrc, self.sastind, self.miit])),
                          ("mcf:plansDevelopmentOf", cluster)])
        project = self.make(f"{place.slug}-technology-transfer-project", ("mcf:Project",),
                            f"project of transferring military technologies to civilian sectors in {word}",
                            [("mcf:concerns", place)])
        made = City(place, province, publisher, official, cluster, plan, project, word)
        self.cities.append(made)
        return made

    def enterprise(self, city: City) -> Entity:
        """An enterprise of ``city``: a new one while the city has few, else one already reported on."""
        if len(city.enterprises) < 3 or self.rng.random() < 0.25:
            word, chars = self.name()
            field_name, field_chars = self.rng.choice(
                [("Electric", "电器"), ("Optics", "光学"), ("Aviation", "航空"), ("Materials", "材料")])
            kind = self.rng.choice([("mcf:EnterpriseGroup", "Group", "集团"), ("mcf:Enterprise", "Company", "公司")])
            label = f"{word} {field_name} {kind[1]}"
            chinese = f"{chars}{field_chars}{kind[2]}" if self.rng.random() < 0.5 else None
            city.enterprises.append(self.make(slugify(label), (kind[0],), label, zh_label=chinese))
        return self.rng.choice(city.enterprises)

    def product(self, city: City) -> Entity:
        """A product made in ``city``: an aircraft part or a device, new while the city has few."""
        if len(city.products) < 2 or self.rng.random() < 0.3:
            word, _ = self.name()
            kind, noun = self.rng.choice([("mcf:Aircraft", "aircraft"), ("mcf:Product", "laser rangefinder"),
                                          ("mcf:Product", "flying platform"), ("mcf:Product", "radar system")])
            label = f"{word} {noun}"
            city.products.append(self.make(slugify(label), (kind,), label))
        return self.rng.choice(city.products)

