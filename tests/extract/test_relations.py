"""The relation rules, each on sentences written for it, modelled as data/mianyang-mcf-article.trig models
the same statements. A small graph of our own is the gazetteer (the class hierarchy is the ontology's)."""

from __future__ import annotations

from datetime import date

import pytest
from rdflib import RDF, RDFS, SKOS, XSD, BNode, Dataset, Literal, URIRef
from rdflib.term import Node

from mcfkg.extract.dates import find_dates
from mcfkg.extract.entities import find_mentions, resolve_anaphora
from mcfkg.extract.gazetteer import Gazetteer
from mcfkg.extract.model import Candidate, Sentence
from mcfkg.extract.quantities import find_quantities
from mcfkg.extract.relations import RULES, Context, date_literal, find_relations
from mcfkg.vocab import Vocab

V = Vocab()
MCF, ID = V.MCF, V.ID
SDO = "https://schema.org/"
DCT = "http://purl.org/dc/terms/"
GRAPH = """@prefix mcf: <https://w3id.org/mcfkg/def/> .
@prefix mcfid: <https://w3id.org/mcfkg/id/> .
@prefix mcfg: <https://w3id.org/mcfkg/graph/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
mcfg:known {
  mcfid:mianyang a mcf:City ; rdfs:label "Mianyang"@en .
  mcfid:sichuan a mcf:Province ; rdfs:label "Sichuan"@en ; skos:hiddenLabel "Sichan"@en .
  mcfid:ndrc a mcf:GovernmentAgency ; rdfs:label "National Development and Reform Commission"@en ; skos:altLabel "NDRC"@en .
  mcfid:central-government a mcf:Government ; rdfs:label "central government"@en .
  mcfid:national-special-fund a mcf:Fund ; rdfs:label "National Special Fund"@en .
  mcfid:cluster-plan a mcf:ImplementationPlan ; rdfs:label "Mianyang Cluster Plan"@en .
  mcfid:chain-project a mcf:Project ; rdfs:label "industrial chain project"@en .
  mcfid:jiuzhou a mcf:EnterpriseGroup ; rdfs:label "Sichuan Jiuzhou Electric Group"@en .
  mcfid:c919 a mcf:Aircraft ; rdfs:label "C919"@en .
  mcfid:skyeye-laser a mcf:Product ; rdfs:label "Skyeye Laser"@en .
  mcfid:sichuan-award a mcf:Award ; rdfs:label "Science and Technology Progress Award of Sichuan Province"@en .
  mcfid:army-award a mcf:Award ; rdfs:label "Army Science and Technology Progress Award"@en .
  mcfid:strategic-emerging-industries a mcf:Sector ; rdfs:label "strategic emerging industries"@en .
  mcfid:enterprises-outside a mcf:OrganizationCollective ; rdfs:label "enterprises outside"@en .
  mcfid:indicator-output a mcf:Indicator ; rdfs:label "output"@en .
  mcfid:state-level-enterprise-technology-center a mcf:PlatformKind ;
      rdfs:label "state-level enterprise technology center"@en .
  mcfid:electronic-information-technology a mcf:FocusArea ; rdfs:label "electronic information technology"@en .
}
"""


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    ds = Dataset()
    ds.parse(data=GRAPH, format="trig")
    return Gazetteer.from_dataset(ds)


def extract(gazetteer: Gazetteer, *texts: str, published: date | None = None) -> tuple[list[Candidate], Context]:
    """The relation candidates of ``texts`` (sentences 1, 2, ... of paragraph 1), as the pipeline runs them."""
    ctx = Context(gazetteer, {}, "test-source", published)
    found: list[Candidate] = []
    for number, text in enumerate(texts, start=1):
        sentence = Sentence(1, number, text, 0)
        mentions = resolve_anaphora(sentence, find_mentions(sentence, gazetteer, ctx.minted), ctx.recent, gazetteer)
        found += find_relations(sentence, mentions, find_quantities(sentence, "CNY"), find_dates(sentence, published), ctx)
        ctx.remember(sentence, mentions)
    for candidate in found:  # every candidate: blank-node free, its rule named, its evidence the sentence's words
        assert candidate.rule.startswith("rule:") and 0 < candidate.confidence <= 1
        assert not any(isinstance(node, BNode) for triple in candidate.triples for node in triple)
        assert candidate.evidence, candidate
        for span in candidate.evidence:
            assert candidate.sentence.text[span.start:span.end] == span.text
    return found, ctx


def by_rule(candidates: list[Candidate], rule: str) -> list[Candidate]:
    return [c for c in candidates if c.rule == rule]


def objects(candidate: Candidate, predicate: URIRef, subject: Node | None = None) -> list[Node]:
    return [o for s, p, o in candidate.triples if p == predicate and (subject is None or s == subject)]


def node_of(candidate: Candidate, cls: URIRef) -> Node:
    return next(s for s, p, o in candidate.triples if p == RDF.type and o == cls)


def test_approved_by_with_a_date_as_precise_as_the_text(gazetteer: Gazetteer) -> None:
    found, _ = extract(gazetteer, "On April 18, the Mianyang Cluster Plan was approved by the NDRC.",
                       published=date(2018, 4, 28))
    [approval] = by_rule(found, "rule:approved-by/passive")
    assert approval.triples == [(ID["cluster-plan"], MCF.approvedBy, ID["ndrc"])]
    assert {s.text for s in approval.evidence} == {"Mianyang Cluster Plan", "was approved by", "NDRC"}
    [when] = by_rule(found, "rule:approved-by/date")
    assert when.kind == "date"
    assert when.triples == [(ID["cluster-plan"], URIRef(DCT + "dateAccepted"), Literal("--04-18", datatype=XSD.gMonthDay))]
    assert "2018-04-18" in when.note  # the resolution is kept, the year is not supplied


def test_approved_by_active_with_a_full_date_and_a_vague_one(gazetteer: Gazetteer) -> None:
    found, ctx = extract(gazetteer, "On 12 December 2024, the NDRC approved the Mianyang Cluster Plan.",
                         "Recently, the Mianyang Cluster Plan was approved by the central government.")
    assert by_rule(found, "rule:approved-by/active")[0].triples == [(ID["cluster-plan"], MCF.approvedBy, ID["ndrc"])]
    assert by_rule(found, "rule:approved-by/date")[0].triples[0][2] == Literal("2024-12-12", datatype=XSD.date)
    [vague] = by_rule(found, "rule:approved-by/vague-date")
    assert vague.triples == [(ID["cluster-plan"], SKOS.scopeNote,
                              Literal("Approved 'recently'; the source gives no date.", lang="en"))]
    assert any("'Recently'" in note and "gives no date" in note for note in ctx.notes)


def test_grant_granted_from_the_central_government_for_the_plan(gazetteer: Gazetteer) -> None:
    found, _ = extract(gazetteer, "Recently, the Mianyang Cluster Plan was approved by the NDRC and a fund of "
                                  "RMB 500 million was granted from the central government.")
    [grant] = by_rule(found, "rule:grant/granted")
    node = node_of(grant, MCF.Grant)
    assert isinstance(node, URIRef) and node.startswith(str(ID))
    assert objects(grant, MCF.grantedBy) == [ID["central-government"]]
    assert objects(grant, MCF.funds) == [ID["cluster-plan"]]
    [amount] = by_rule(found, "rule:grant/amount")
    assert amount.kind == "amount"
    [value] = objects(amount, MCF.amount, node)
    assert str(value) == f"{node}-amount"
    assert objects(amount, URIRef(SDO + "value"), value) == [Literal("500000000.0", datatype=XSD.decimal)]
    assert objects(amount, URIRef(SDO + "currency"), value) == [Literal("CNY")]
    assert (value, RDF.type, URIRef(SDO + "MonetaryAmount")) in amount.triples


def test_grant_received_from_a_fund(gazetteer: Gazetteer) -> None:
    found, _ = extract(gazetteer, "Mianyang received RMB 30 million from the National Special Fund.")
    [grant] = by_rule(found, "rule:grant/received-from")
    assert objects(grant, MCF.fromFund) == [ID["national-special-fund"]]
    assert objects(grant, MCF.grantedTo) == [ID["mianyang"]]
    assert by_rule(found, "rule:grant/amount")


def test_tier_one_supplier(gazetteer: Gazetteer) -> None:
    found, _ = extract(gazetteer, "Sichuan Jiuzhou Electric Group has become tier 1 provider for the C919.")
    [supply] = by_rule(found, "rule:tier-1-supplier/provider-for")
    assert (ID["jiuzhou"], MCF.tierOneSupplierFor, ID["c919"]) in supply.triples
    relation = node_of(supply, MCF.SupplierRelationship)
    assert objects(supply, MCF.supplier, relation) == [ID["jiuzhou"]]
    assert objects(supply, MCF.suppliedProduct, relation) == [ID["c919"]]
    assert objects(supply, MCF.supplierTier, relation) == [Literal(1)]


def test_awards_one_conferral_each_with_the_prize_count(gazetteer: Gazetteer) -> None:
    found, _ = extract(gazetteer, "Mianyang was awarded with the Army Science and Technology Progress Award and "
                                  "two prizes of Science and Technology Progress Awards of Sichuan Province.")
    conferrals = by_rule(found, "rule:award/awarded")
    assert {objects(c, MCF.awardConferred)[0] for c in conferrals} == {ID["army-award"], ID["sichuan-award"]}
    assert all(objects(c, MCF.recipient) == [ID["mianyang"]] for c in conferrals)
    counts = {objects(c, MCF.awardConferred)[0]: objects(c, MCF.prizeCount) for c in conferrals}
    assert counts == {ID["army-award"]: [], ID["sichuan-award"]: [Literal(2)]}
    assert not by_rule(found, "rule:quantity/unattached")  # "two prizes" is the conferral's


def test_counted_sets_credited_and_their_examples(gazetteer: Gazetteer) -> None:
    found, _ = extract(gazetteer, "Mianyang has established 25 innovation platforms such as the state-level "
                                  "enterprise technology center.",
                       "138 patents were authorized.")
    [platforms] = by_rule(found, "rule:count/platform")
    node = node_of(platforms, MCF.InnovationPlatformSet)
    assert objects(platforms, MCF.statedCount, node) == [Literal(25)]
    assert objects(platforms, MCF.creditedTo, node) == [ID["mianyang"]]
    assert objects(platforms, MCF.exampleKind, node) == [ID["state-level-enterprise-technology-center"]]
    [patents] = by_rule(found, "rule:count/patent")  # passive: credited to what the paragraph is about, and said so
    assert objects(patents, MCF.creditedTo) == [ID["mianyang"]] and "passive" in patents.note
    assert patents.confidence < platforms.confidence


def test_portfolio_focus_areas_and_total_investment(gazetteer: Gazetteer) -> None:
    found, _ = extract(gazetteer, "The Mianyang Cluster Plan was published.",
                       "The Plan focused on 12 high-tech projects in four main areas including electronic information "
                       "technology, new materials, nuclear physics and optics, with a total investment of RMB 2.493 "
                       "billion.")
    [projects] = by_rule(found, "rule:count/project")
    portfolio = node_of(projects, MCF.ProjectPortfolio)
    assert (ID["cluster-plan"], MCF.hasProjectPortfolio, portfolio) in projects.triples
    [areas] = by_rule(found, "rule:count/focus-areas")
    area_set = node_of(areas, MCF.FocusAreaSet)
    assert (portfolio, MCF.focusAreas, area_set) in areas.triples
    members = objects(areas, MCF.member, area_set)
    assert ID["electronic-information-technology"] in members and len(members) == 4
    new_areas = {str(o) for s, p, o in areas.triples if p == RDFS.label and s != area_set}
    assert new_areas == {"new materials", "nuclear physics", "optics"}
    [investment] = by_rule(found, "rule:total-investment/of")
    [amount] = objects(investment, MCF.totalInvestment, portfolio)
    assert objects(investment, URIRef(SDO + "value"), amount) == [Literal("2493000000.0", datatype=XSD.decimal)]


def test_lower_bounds_stay_lower_bounds(gazetteer: Gazetteer) -> None:
    found, _ = extract(gazetteer, "Skyeye Laser has been applied in more than 20 sectors.")
    [application] = by_rule(found, "rule:count/applied-in")
    [quantity] = objects(application, MCF.quantity)
    assert objects(application, URIRef(SDO + "minValue"), quantity) == [Literal(20)]
    assert objects(application, URIRef(SDO + "value"), quantity) == []
    assert objects(application, MCF.bound, quantity) == [Literal("exclusive")]
    assert objects(application, MCF.qualifier, quantity) == [Literal("more than", lang="en")]
    assert objects(application, URIRef(SDO + "unitText"), quantity) == [Literal("sector")]
    assert objects(application, MCF.appliedProduct) == [ID["skyeye-laser"]]


def test_expected_outcomes_with_indicator_sector_and_investor(gazetteer: Gazetteer) -> None:
    found, _ = extract(gazetteer, "The industrial chain project will deliver an output of RMB 8.1 billion in the "
                                  "strategic emerging industries with an increase of over RMB 39.6 billion in the "
                                  "related industries, attracting investments of RMB 20 billion from enterprises "
                                  "outside and over 40 technology cooperation.")
    outcomes = by_rule(found, "rule:expected-outcome/future")
    assert len(outcomes) == 4
    assert all(objects(c, MCF.expectedOutcome, ID["chain-project"]) for c in outcomes)
    output, increase, investment, cooperation = outcomes
    assert objects(output, MCF.indicator) == [ID["indicator-output"]]  # the graph's indicator, reused
    assert objects(output, MCF.inSector) == [ID["strategic-emerging-industries"]]
    sector = objects(increase, MCF.inSector)[0]
    assert (sector, RDF.type, MCF.Sector) in increase.triples  # a new sector, proposed with its scheme
    assert objects(investment, MCF.investmentFrom) == [ID["enterprises-outside"]]
    labels = [str(o) for c in outcomes for s, p, o in c.triples if p == RDFS.label and (s, RDF.type, MCF.Indicator) in c.triples]
    assert labels == ["increase", "attracted investment", "technology cooperation"]
    amounts = {c.evidence[0].text: c for c in by_rule(found, "rule:expected-outcome/quantity")}
    over = amounts["over RMB 39.6 billion"]
    node = objects(over, MCF.quantity)[0]
    assert objects(over, URIRef(SDO + "minValue"), node) == [Literal("39600000000.0", datatype=XSD.decimal)]
    assert objects(over, MCF.qualifier, node) == [Literal("over", lang="en")]
    count = amounts["over 40 technology cooperation"]
    assert count.kind == "count"
    assert objects(count, URIRef(SDO + "unitText")) == [Literal("technology cooperation")]


def test_located_in(gazetteer: Gazetteer) -> None:
    found, _ = extract(gazetteer, "The number of innovation platforms in Mianyang outpaced other cities in Sichan province.",
                       "The Deyang Optics Institute is located in Mianyang.",
                       "The Qiaotou Works Group lies in Deyang City, Sichuan.")
    pairs = {(c.triples[0][0], c.triples[0][2], c.rule) for c in found if c.triples[0][1] == MCF.locatedIn}
    assert (ID["mianyang"], ID["sichuan"], "rule:located-in/other-cities-in") in pairs
    assert (ID["deyang-optics-institute"], ID["mianyang"], "rule:located-in/located") in pairs
    assert (ID["qiaotou-works-group"], ID["deyang"], "rule:located-in/located") in pairs
    assert (ID["deyang"], ID["sichuan"], "rule:located-in/apposition") in pairs


def test_establishment_dated_and_support_since(gazetteer: Gazetteer) -> None:
    found, _ = extract(gazetteer, "The Yunhe Institute of Navigation Technology was established in 2016.",
                       "The NDRC has provided great support for Mianyang since the establishment of the Yunhe "
                       "Institute of Navigation Technology.")
    [event] = by_rule(found, "rule:established/passive")
    node = node_of(event, MCF.EstablishmentEvent)
    assert objects(event, MCF.establishes, node) == [ID["yunhe-institute-of-navigation-technology"]]
    [when] = by_rule(found, "rule:established/date")
    assert when.triples == [(node, URIRef(DCT + "date"), Literal("2016", datatype=XSD.gYear))]
    assert by_rule(found, "rule:supports/provided-support-for")[0].triples == [(ID["ndrc"], MCF.supports, ID["mianyang"])]
    [since] = by_rule(found, "rule:supports/since-establishment")
    relation = node_of(since, MCF.SupportRelationship)
    assert objects(since, MCF.supportSince, relation) == [node]  # the same event, one IRI


def test_cooperation_is_a_joint_project(gazetteer: Gazetteer) -> None:
    found, _ = extract(gazetteer, "Sichuan Jiuzhou Electric Group and the Deyang Optics Institute signed a "
                                  "cooperation agreement.")
    [joint] = by_rule(found, "rule:cooperation/between")
    node = node_of(joint, MCF.Project)
    assert set(objects(joint, MCF.implementedBy, node)) == {ID["jiuzhou"], ID["deyang-optics-institute"]}
    assert "no cooperation relation" in joint.note


def test_what_no_rule_attaches_is_kept_with_a_note(gazetteer: Gazetteer) -> None:
    found, ctx = extract(gazetteer, "Its exports reached about US$45 million last year.")
    [amount] = by_rule(found, "rule:quantity/unattached")
    assert amount.kind == "amount" and "not attached" in amount.note
    node = node_of(amount, URIRef(SDO + "MonetaryAmount"))
    assert objects(amount, URIRef(SDO + "value"), node) == []  # "about": never an exact value
    assert objects(amount, MCF.approximateValue, node) == [Literal("45000000.0", datatype=XSD.decimal)]
    assert objects(amount, MCF.qualifier, node) == [Literal("about", lang="en")]
    assert any("'last year' could not be resolved" in note for note in ctx.notes)  # no publication date


def test_date_literals_never_supply_a_year() -> None:
    from mcfkg.extract.model import DateMention, Span

    def mention(text: str, value: date | None, precision: str) -> DateMention:
        return DateMention(Span(0, len(text), text), value, precision, "relative")  # type: ignore[arg-type]

    assert date_literal(mention("On April 18", date(2018, 4, 18), "day"))[0] == Literal("--04-18", datatype=XSD.gMonthDay)
    assert date_literal(mention("On April 18", None, "day"))[0] == Literal("--04-18", datatype=XSD.gMonthDay)
    assert date_literal(mention("April 18, 2018", date(2018, 4, 18), "day"))[0] == Literal("2018-04-18", datatype=XSD.date)
    assert date_literal(mention("in March 2019", date(2019, 3, 1), "month"))[0] == Literal("2019-03", datatype=XSD.gYearMonth)
    assert date_literal(mention("recently", None, None))[0] is None  # type: ignore[arg-type]


def test_every_rule_is_listed_with_what_it_proposes() -> None:
    assert len({name for name, _ in RULES}) == len(RULES)
    assert all(callable(rule) and rule.__doc__ for _, rule in RULES)


def quantity_triples(candidate: Candidate) -> dict[str, list[Node]]:
    """The quantity node's properties by local name (``value``, ``minValue``, ``bound``...), objects in order."""
    [node] = [s for s, p, o in candidate.triples if p == RDF.type and o in (URIRef(SDO + "QuantitativeValue"), URIRef(SDO + "MonetaryAmount"))]
    found: dict[str, list[Node]] = {}
    for s, p, o in candidate.triples:
        if s == node and p != RDF.type:
            found.setdefault(str(p).replace("#", "/").rsplit("/", 1)[-1], []).append(o)
    return found


@pytest.mark.parametrize(("text", "expected"), [
    ("The zone created nearly 2,000 jobs.",
     {"approximateValue": [Literal(2000)], "qualifier": [Literal("nearly", lang="en")], "unitText": [Literal("job")]}),
    ("The fund lent up to RMB 3 billion.",
     {"maxValue": [Literal("3000000000.0", datatype=XSD.decimal)], "maxBound": [Literal("inclusive")],
      "qualifier": [Literal("up to", lang="en")], "currency": [Literal("CNY")]}),
    ("The park signed between 20 and 30 projects.",
     {"minValue": [Literal(20)], "bound": [Literal("inclusive")], "maxValue": [Literal(30)],
      "maxBound": [Literal("inclusive")], "qualifier": [Literal("between", lang="en")], "unitText": [Literal("project")]}),
    ("It raised RMB 2-3 billion.",
     {"minValue": [Literal("2000000000.0", datatype=XSD.decimal)], "bound": [Literal("inclusive")],
      "maxValue": [Literal("3000000000.0", datatype=XSD.decimal)], "maxBound": [Literal("inclusive")],
      "qualifier": [Literal("-", lang="en")], "currency": [Literal("CNY")]}),
    ("Exports rose 15 percent.",
     {"value": [Literal("15.0", datatype=XSD.decimal)], "unitText": [Literal("percent")], "unitCode": [Literal("P1")]}),
    ("The park covers less than 3.2 square kilometres.",
     {"maxValue": [Literal("3.2", datatype=XSD.decimal)], "maxBound": [Literal("exclusive")],
      "qualifier": [Literal("less than", lang="en")], "unitText": [Literal("square kilometre")], "unitCode": [Literal("KMK")]}),
    ("The site takes about 1,200 mu.",  # no UN/CEFACT code: the unit as written, never converted
     {"approximateValue": [Literal("1200.0", datatype=XSD.decimal)], "qualifier": [Literal("about", lang="en")],
      "unitText": [Literal("mu")]}),
])
def test_numbers_are_written_as_exactly_as_the_text_gives_them(gazetteer: Gazetteer, text: str,
                                                               expected: dict[str, list[Node]]) -> None:
    found, _ = extract(gazetteer, text)
    [candidate] = by_rule(found, "rule:quantity/unattached")  # a range is one node with both bounds
    got = quantity_triples(candidate)
    got.pop("label")
    assert got == expected
    assert candidate.note is not None and "ontology" not in candidate.note  # no stand-in to apologise for
