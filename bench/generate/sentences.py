"""What one sentence of a generated release states: the kinds of fact the real releases state.

Each kind writes the facts of one sentence into its fact graph and returns the sentence's short
excerpt (at most six words, as the passage shape requires). The kinds follow the Mianyang sources:
a plan approved by a national agency, a grant with its amount, a project portfolio with its total
investment and focus areas, roles, support, counted outputs (platforms, patents, standards),
awards, tier-1 suppliers, product applications with a lower bound ("more than 20 sectors"),
expected outcomes with money or counts, mechanisms, policies, strategies and technology transfers.
Where a second source restates a shared number (a grant's amount, a portfolio's count) it
sometimes disagrees, and the editors' note in the curation graph records both readings.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from generate.trig import NamedGraph, decimal, en, integer, plain, typed
from generate.world import City, Entity, World

DISAGREEMENT = 0.2  # share of restatements of a shared number that disagree with the first source


@dataclass
class Sentence:
    """One sentence being written: the world, the source's city and id, and the sentence's fact graph."""

    world: World
    rng: random.Random
    city: City
    source: str
    graph: NamedGraph

    def m(self, thing: Entity) -> str:
        return self.world.mention(self.graph, thing)

    def add(self, subject: str, predicate: str, obj: str) -> None:
        self.graph.add(subject, predicate, obj)

    def new(self, stem: str, kind: str, label: str, facts: Sequence[tuple[str, Entity | str]] = ()) -> str:
        """A thing only this sentence states (an achievement, an amount, a set), introduced here."""
        return self.m(self.world.make(stem, (kind,), label, facts))


def _money_label(value: int) -> str:
    return f"RMB {value / 1e9:g} billion" if value >= 1_000_000_000 else f"RMB {value / 1e6:g} million"


def money(s: Sentence, stem: str, value: int, bound: str | None = None) -> str:
    """A schema:MonetaryAmount in CNY base units: exact, or a lower bound with the source's qualifier."""
    label = f"{bound} {_money_label(value)}" if bound else _money_label(value)
    term = s.new(stem, "schema:MonetaryAmount", label)
    s.add(term, "schema:currency", plain("CNY"))
    _number(s, term, value, decimal, bound)
    return term


def count(s: Sentence, stem: str, value: int, unit: str, bound: str | None = None) -> str:
    """A schema:QuantitativeValue counting ``unit``: exact, or a lower bound with the source's qualifier."""
    term = s.new(stem, "schema:QuantitativeValue", f"{bound + ' ' if bound else ''}{value} {unit}")
    s.add(term, "schema:unitText", plain(unit))
    _number(s, term, value, integer, bound)
    return term


def _number(s: Sentence, term: str, value: int, literal: Callable[[int], str], bound: str | None) -> None:
    if bound is None:
        s.add(term, "schema:value", literal(value))
    else:
        s.add(term, "schema:minValue", literal(value))
        s.add(term, "mcf:bound", plain("inclusive" if bound == "at least" else "exclusive"))
        s.add(term, "mcf:qualifier", en(bound))


def _millions(rng: random.Random, low: int, high: int) -> int:
    return rng.randint(low, high) * 1_000_000


# ---------------------------------------------------------------------- the kinds of sentence
def plan_approved(s: Sentence) -> str:
    plan = s.m(s.city.plan)
    if s.rng.random() < 0.3:
        s.add(plan, "dcterms:dateAccepted", typed(f"--{s.rng.randint(1, 12):02d}-{s.rng.randint(1, 28):02d}", "gMonthDay"))
    s.add(plan, "mcf:basedOnStrengthsOf", s.m(s.city.place))
    return "the Implementation Plan was approved"


def grant(s: Sentence) -> str:
    """A grant for the city's plan; a later source may give another amount, which the editors note."""
    city, w = s.city, s.world
    if city.grant is None:
        city.grant_amount = _millions(s.rng, 50, 900)
        city.grant = w.make(f"{city.place.slug}-mcf-grant", ("mcf:Grant",),
                            f"{_money_label(city.grant_amount)} grant from the central government for the {city.name} plan",
                            [("mcf:grantedBy", w.central_government), ("mcf:funds", city.plan),
                             ("mcf:fromFund", s.rng.choice(w.funds))])
        city.grant_first = (s.source, money(s, f"{city.grant.slug}-amount", city.grant_amount))
    term = s.m(city.grant)
    first_source, first_amount = city.grant_first
    value, amount = city.grant_amount, first_amount
    if city.grant_claim[0] == s.source:  # one source states one amount, however often it repeats it
        amount, value = city.grant_claim[1], city.grant_claim[2]
    elif first_source != s.source and s.rng.random() < DISAGREEMENT:
        value = city.grant_amount + _millions(s.rng, 1, 100)
        amount = money(s, f"{city.grant.slug}-amount-{s.source}", value)
        w.note(city.grant, f"Source {first_source} states {_money_label(city.grant_amount)}, source {s.source} "
                           f"{_money_label(value)}; both are kept, each in its source's graphs.")
    city.grant_claim = (s.source, amount, value)
    s.add(term, "mcf:amount", amount)
    # Restating an amount repeats its value in this sentence's graph, as the second Mianyang release does.
    s.add(amount, "a", "schema:MonetaryAmount")
    s.add(amount, "schema:currency", plain("CNY"))
    s.add(amount, "schema:value", decimal(value))
    s.add(term, "mcf:grantedTo", s.m(city.place))
    return f"a fund of {_money_label(value)}"


def portfolio(s: Sentence) -> str:
    """The plan's projects: a count (a later source may disagree), a total investment and focus areas."""
    city, w = s.city, s.world
    if city.portfolio is None:
        city.portfolio_count = s.rng.randint(5, 30)
        city.portfolio_first_source = s.source
        city.portfolio = w.make(f"{city.place.slug}-mcf-project-portfolio", ("mcf:ProjectPortfolio",),
                                f"military-civilian integration high-tech projects of the {city.name} plan")
        listed = w.concepts_of("FocusArea", s.rng.randint(2, 5))
        announced = len(listed) + (1 if s.rng.random() < 0.15 else 0)
        areas = s.new(f"{city.place.slug}-mcf-focus-areas", "mcf:FocusAreaSet",
                      f"main areas of the {city.name} plan's projects",
                      [("mcf:statedCount", integer(announced))] + [("mcf:member", a) for a in listed])
        if announced != len(listed):
            w.note(areas, f"The source announces {announced} areas but lists {len(listed)}; "
                          "both are recorded, none is invented.")
        s.add(s.m(city.portfolio), "mcf:focusAreas", areas)
    term = s.m(city.portfolio)
    if city.portfolio_claim[0] == s.source:  # one count and one total per source
        stated, investment = city.portfolio_claim[1], city.portfolio_claim[2]
    else:
        stated = city.portfolio_count
        if city.portfolio_first_source != s.source and s.rng.random() < DISAGREEMENT:
            stated += s.rng.randint(1, 4)
            w.note(city.portfolio, f"Source {city.portfolio_first_source} counts {city.portfolio_count} projects, "
                                   f"source {s.source} {stated}; both counts are kept.")
        investment = money(s, f"{city.portfolio.slug}-investment", _millions(s.rng, 500, 9000))
    city.portfolio_claim = (s.source, stated, investment)
    s.add(s.m(city.plan), "mcf:hasProjectPortfolio", term)
    s.add(term, "mcf:statedCount", integer(stated))
    s.add(term, "mcf:totalInvestment", investment)
    return f"{stated} military-civilian integration projects"


def roles(s: Sentence) -> str:
    plan = s.m(s.city.plan)
    for role in s.rng.sample(["pilot city for innovation-driven development", "vanguard for integration innovation",
                              "growth pole for the western region", "demonstration base for technology transfer"], 2):
        scope = [("mcf:roleScope", s.world.western_region)] if "western" in role else []
        s.add(plan, "mcf:envisagesRole", s.new(f"{s.city.place.slug}-role", "mcf:TargetRole", role,
                                              [("mcf:roleHolder", s.city.place), *scope]))
    return "build the city into a"


def support(s: Sentence) -> str:
    agency = s.rng.choice([s.world.ndrc, s.world.sastind, s.world.miit])
    s.add(s.m(agency), "mcf:supports", s.m(s.city.place))
    s.new(f"{agency.slug}-support-for-{s.city.place.slug}", "mcf:SupportRelationship",
          f"{agency.label} support for military-civilian integration in {s.city.name}",
          [("mcf:supporter", agency), ("mcf:supported", s.city.place)])
    return "has given great support"


def transfer_projects(s: Sentence) -> str:
    w = s.world
    fields = [("mcf:technologyField", f) for f in w.concepts_of("TechnologyField", s.rng.randint(2, 5))]
    s.new(f"{s.city.place.slug}-transfer-projects", "mcf:ProjectPortfolio",
          f"projects transferring defense-industry technologies to civilian sectors in {s.city.name}",
          [("mcf:implementedBy", w.ndrc), ("mcf:transferFrom", w.concepts["Sector"][0]),
           ("mcf:transferTo", w.concepts["Sector"][1]), *fields])
    return "several areas including"


def platforms(s: Sentence) -> str:
    n = s.rng.randint(5, 60)
    kinds = [("mcf:exampleKind", k) for k in s.world.concepts_of("PlatformKind", s.rng.randint(1, 3))]
    outnumbers = [("mcf:outnumbersOtherCitiesIn", s.city.province)] if s.rng.random() < 0.4 else []
    s.new(f"{s.city.place.slug}-innovation-platforms", "mcf:InnovationPlatformSet",
          f"{n} innovation platforms established in {s.city.name}",
          [("mcf:statedCount", integer(n)), ("mcf:creditedTo", s.city.place), *kinds, *outnumbers])
    return f"{n} innovation platforms"


def patents(s: Sentence) -> str:
    n, m = s.rng.randint(20, 900), s.rng.randint(2, 30)
    s.new(f"{s.city.place.slug}-authorized-patents", "mcf:PatentSet", f"{n} authorized patents",
          [("mcf:statedCount", integer(n)), ("mcf:creditedTo", s.city.place)])
    s.new(f"{s.city.place.slug}-standards", "mcf:StandardSet", f"{m} standards made for different sectors",
          [("mcf:statedCount", integer(m)), ("mcf:creditedTo", s.city.place)])
    return f"{n} patents were authorized"


def awards(s: Sentence) -> str:
    award = s.rng.choice(s.world.awards)
    prizes = s.rng.randint(1, 4)
    recipient = s.rng.choice([s.city.place, s.world.enterprise(s.city)])
    s.new(f"{award.slug}-to-{recipient.slug}", "mcf:AwardConferral", f"{award.label} conferred on {recipient.label}",
          [("mcf:awardConferred", award), ("mcf:recipient", recipient), ("mcf:prizeCount", integer(prizes))])
    return "won the" if prizes == 1 else f"{prizes} prizes"


def supplier(s: Sentence) -> str:
    firm, product = s.world.enterprise(s.city), s.world.product(s.city)
    tier = 1 if s.rng.random() < 0.7 else 2
    if tier == 1:
        s.add(s.m(firm), "mcf:tierOneSupplierFor", s.m(product))
    s.new(f"{firm.slug}-{product.slug}-supply", "mcf:SupplierRelationship",
          f"{firm.label} as tier-{tier} provider for the {product.label}",
          [("mcf:supplier", firm), ("mcf:suppliedProduct", product), ("mcf:supplierTier", integer(tier))])
    return f"tier {tier} provider"


def product_application(s: Sentence) -> str:
    products = [("mcf:appliedProduct", s.world.product(s.city)) for _ in range(s.rng.randint(1, 2))]
    n, bound = s.rng.randint(5, 40), s.rng.choice(["more than", "over", "at least"])
    stem = f"{s.city.place.slug}-product-application"
    application = s.new(stem, "mcf:ProductApplication",
                        f"application of {s.city.name} products in {bound} {n} sectors", products)
    s.add(application, "mcf:quantity", count(s, f"{stem}-sectors", n, "sector", bound))
    return f"{bound} {n} sectors"


def outcomes(s: Sentence) -> str:
    w, project = s.world, s.m(s.city.project)
    indicators = w.concepts_of("Indicator", s.rng.randint(1, 3))
    for indicator in indicators:
        stem = f"{s.city.project.slug}-{indicator.slug}"
        bound = s.rng.choice([None, None, "over"])
        if indicator.label in ("technology cooperation", "employment"):
            quantity = count(s, f"{stem}-count", s.rng.randint(10, 500), indicator.label, bound)
        else:
            quantity = money(s, f"{stem}-amount", _millions(s.rng, 100, 50_000), bound)
        extra = [("mcf:inSector", s.rng.choice(w.concepts["Sector"]))] if s.rng.random() < 0.5 else []
        if indicator.label == "attracted investment":
            extra.append(("mcf:investmentFrom", w.collectives[3]))
        outcome = s.new(stem, "mcf:ExpectedOutcome", f"expected {indicator.label} of the {s.city.name} project",
                        [("mcf:indicator", indicator), *extra])
        s.add(outcome, "mcf:quantity", quantity)
        s.add(project, "mcf:expectedOutcome", outcome)
    return "is expected to bring"


def mechanisms(s: Sentence) -> str:
    listed = s.world.concepts_of("IntegrationMechanism", s.rng.randint(2, 4))
    stated = len(listed) + (1 if s.rng.random() < 0.2 else 0)
    stem = f"{s.city.place.slug}-mcf-mechanisms"
    mechanism_set = s.new(stem, "mcf:MechanismSet", f"military-civilian integration mechanisms explored by {s.city.name}",
                          [("mcf:statedCount", integer(stated)), ("mcf:creditedTo", s.city.place),
                           *[("mcf:member", m) for m in listed]])
    if stated != len(listed):
        s.world.note(mechanism_set, f"The source announces {stated} mechanisms but lists {len(listed)}; both are recorded.")
    s.new(f"{s.city.place.slug}-mechanism-innovation", "mcf:Initiative", f"system and mechanism innovation in {s.city.name}",
          [("mcf:pursuedBy", s.city.place), ("mcf:occasion", s.city.project), ("mcf:produced", mechanism_set)])
    return f"{stated} integration mechanisms"


def policy(s: Sentence) -> str:
    plan = s.m(s.city.plan)
    for document in s.rng.sample(s.world.policies, s.rng.randint(1, 3)):
        s.add(plan, "mcf:implementsPolicy", s.m(document))
    return "under the guidance of"


def achievement(s: Sentence) -> str:
    through: list[tuple[str, Entity | str]] = [("mcf:throughProject", s.city.project)] if s.rng.random() < 0.5 else []
    if s.rng.random() < 0.3:
        through.append(("skos:scopeNote", en("'At present'; the source does not say what the progress consists of.")))
    s.new(f"{s.city.place.slug}-achievement", "mcf:Achievement",
          f"progress of military-civilian integration in {s.city.name}",
          [("mcf:creditedTo", s.city.place), ("mcf:concerns", s.city.cluster), *through])
    return "made great progress"


def technology_transfer(s: Sentence) -> str:
    w, city = s.world, s.city
    result = w.make(f"{city.place.slug}-transfer-result", ("mcf:Achievement",),
                    f"transferred technology strengthened industries in {city.name}", [("mcf:creditedTo", city.place)])
    resources = [("mcf:transferredResource", r) for r in w.concepts_of("TransferableResource", s.rng.randint(1, 3))]
    s.new(f"{city.place.slug}-technology-transfer", "mcf:TechnologyTransfer",
          f"transfer of defense-industry technology to civilian sectors in {city.name}",
          [("mcf:transferFrom", w.concepts["Sector"][0]), ("mcf:transferTo", w.concepts["Sector"][1]), *resources,
           ("mcf:transferredBy", s.rng.choice(w.collectives[:2])), ("mcf:result", result)])
    return "successfully transferred"


def strategy(s: Sentence) -> str:
    priorities = [("mcf:priority", p) for p in s.world.concepts_of("DevelopmentPriority", s.rng.randint(2, 4))]
    term = s.new(f"{s.city.place.slug}-focus", "mcf:Strategy", f"development focus the plan proposes for {s.city.name}",
                 [("mcf:pursuedBy", s.city.place), *priorities])
    s.add(s.m(s.city.plan), "mcf:proposes", term)
    return "should focus on"


def official_quote(s: Sentence) -> str:
    outcome = s.new(f"{s.city.place.slug}-expected-support", "mcf:ExpectedOutcome",
                    f"more support and confidence for the development of {s.city.name}",
                    [("prov:wasAttributedTo", s.city.official), ("mcf:concerns", s.city.place)])
    s.add(s.m(s.city.plan), "mcf:expectedOutcome", outcome)
    return "said an official"


def source_line(s: Sentence) -> str:
    """The release's "Source:" line: its publisher."""
    s.add(s.m(s.city.publisher), "mcf:jurisdiction", s.m(s.city.place))
    return "Source:"


BODY: list[tuple[Callable[[Sentence], str], int]] = [
    (plan_approved, 2), (grant, 3), (portfolio, 3), (roles, 2), (support, 2), (transfer_projects, 2),
    (platforms, 3), (patents, 3), (awards, 3), (supplier, 3), (product_application, 2), (outcomes, 3),
    (mechanisms, 2), (policy, 2), (achievement, 4), (technology_transfer, 2), (strategy, 2), (official_quote, 2),
]
