"""Competency questions: every query in ``queries/`` gives the answer the article supports.

The queries are the analyst's questions (and the UI's examples); each runs against the
reasoned dataset (asserted graphs plus the inferred graph) with the union of every graph but
the vocabulary as the default graph, as the server answers them (the ontology is reached with
``GRAPH mcfg:ontology``). Answers are compared exactly and in order
(every SELECT has an ORDER BY, so the UI's examples give stable output): amounts as decimals
in base units, counts as integers, lower bounds with their qualifier. Each runs on rdflib and
on Oxigraph (the server's engine) with the same result. A query file without an expected
answer here fails the suite.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import DCTERMS, RDF, XSD, Dataset, Literal, Namespace, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from mcfkg.build import load_and_reason
from mcfkg.config import Settings
from mcfkg.sparql import build_graphs
from mcfkg.sparql.execute import Limits, dataset_options
from mcfkg.store import query_limits
from mcfkg.sparql.model import QueryDataset
from mcfkg.vocab import Vocab

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "queries"
SOURCE_TEXT = ROOT / "data" / "sources" / "mianyang-mcf-article.txt"
ID = "https://w3id.org/mcfkg/id/"
MCF = Namespace("https://w3id.org/mcfkg/def/")
PROV = Namespace("http://www.w3.org/ns/prov#")
ARTICLE_GRAPHS = "https://w3id.org/mcfkg/graph/mianyang-mcf-article/"
PLAN = 'Implementation Plan for the High-Tech Cluster Development of the Military-Civilian Integration in China Science and Technology City (Mianyang)'
ARTICLE_TITLE = 'The Military-civilian Integration Project in China Sci-Tech City (Miangyang) Receives Support from the National Special Fund'
FEDERATED = object()  # the query calls a remote SERVICE: checked for syntax only, tests stay offline

EXPECTED: dict[str, object] = {
    "01-plan-approver.rq": [
        (PLAN, 'National Development and Reform Commission'),
    ],
    "02-central-government-grant.rq": [
        ('central government', D("500000000"), 'CNY', PLAN),
    ],
    "03-total-investment.rq": [
        (12, D("2493000000"), 'CNY'),
    ],
    "04-focus-areas.rq": [
        ('application of nuclear technology', 4),
        ('comprehensive innovation and reform experiment platform', 4),
        ('electronic information technology', 4),
        ('new materials', 4),
    ],
    "05-project-count.rq": [
        (12, 0),
    ],
    "06-innovation-platforms.rq": [
        (25, 'national-local joint engineering laboratory'),
        (25, 'national-local joint engineering research center'),
        (25, 'state-level enterprise technology center'),
    ],
    "07-patents-and-standards.rq": [
        ('authorized patent set', 138),
        ('standard set', 9),
    ],
    "08-awards-and-prizes.rq": [
        ('Army Science and Technology Progress Award', None),
        ('National Science and Technology Progress Award', None),
        ('Science and Technology Progress Award of Sichuan Province', 2),
    ],
    "09-awards-received-inferred.rq": [
        ('Army Science and Technology Progress Award',),
        ('National Science and Technology Progress Award',),
        ('Science and Technology Progress Award of Sichuan Province',),
    ],
    "10-c919-supplier.rq": [
        ('Sichuan Jiuzhou Electric Group', 1),
    ],
    "11-c919-tier-one-suppliers-inverse.rq": [
        ('Sichuan Jiuzhou Electric Group', ID + 'sichuan-jiuzhou-electric-group'),
    ],
    "12-products-sector-counts.rq": [
        ('Skyeye Laser', 'more than', 20, 'exclusive'),
        ('low-level flying platform', 'more than', 20, 'exclusive'),
    ],
    "13-high-tech-products.rq": [
        (48, 'civilian sectors'),
        (48, 'military sector'),
    ],
    "14-chain-project-expected-outcomes.rq": [
        ('attracted investment', D("20000000000"), None, None, 'CNY', None),
        ('increase', None, D("39600000000"), 'exclusive', 'CNY', 'upstream, downstream and related industries'),
        ('output', D("8100000000"), None, None, 'CNY', 'strategic emerging industries'),
        ('technology cooperation', None, 40, 'exclusive', None, None),
    ],
    "15-attracted-investment-source.rq": [
        (D("20000000000"), 'CNY', 'enterprises outside'),
    ],
    "16-integration-mechanisms.rq": [
        (4, 'defense scientific research services'),
        (4, 'military-civilian integration'),
        (4, 'military-civilian integration and exchange'),
        (4, 'military-civilian resource sharing'),
    ],
    "17-models-stated-vs-listed.rq": [
        (4, 3),
    ],
    "18-integration-models.rq": [
        ('private enterprises joining the military sector', 'military sector'),
        ('private enterprises joining the military sector', 'private enterprises'),
        ('technology transfer from the research center to enterprises', 'enterprises'),
        ('technology transfer from the research center to enterprises', 'the research center (not named in the source)'),
        ('technology transfer within the research center and the military sector', 'military sector'),
        ('technology transfer within the research center and the military sector', 'the research center (not named in the source)'),
    ],
    "19-policy-context.rq": [
        ('decision', 'decisions of the Central Committee of the Communist Party and the State Council'),
        ('guideline', 'guidelines from the 19th National Congress'),
        ('guiding ideology', 'Xi Jinping Thought on Socialism with Chinese Characteristics for a New Era'),
    ],
    "20-policy-decision-makers.rq": [
        ('decisions of the Central Committee of the Communist Party and the State Council', 'Central Committee of the Communist Party'),
        ('decisions of the Central Committee of the Communist Party and the State Council', 'State Council'),
        ('guidelines from the 19th National Congress', '19th National Congress'),
    ],
    "21-fact-provenance.rq": [
        (2, 12, 'tier 1 provider for the C919'),
    ],
    "22-facts-of-a-sentence.rq": [
        (ID + 'mianyang-core-competency-breakthroughs', 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type', 'https://w3id.org/mcfkg/def/Achievement'),
        (ID + 'mianyang-core-competency-breakthroughs', 'http://www.w3.org/2000/01/rdf-schema#label', 'major breakthroughs in core competencies in the military-civilian integration industry'),
        (ID + 'mianyang-core-competency-breakthroughs', 'https://w3id.org/mcfkg/def/creditedTo', ID + 'mianyang'),
    ],
    "23-chinese-names-of-organisations.rq": [
        ('Central Committee of the Communist Party', '中国共产党中央委员会'),
        ('Communist Party', '中国共产党'),
        ('Mianyang Development and Reform Commission', '绵阳市发展和改革委员会'),
        ('National Development and Reform Commission', '国家发展和改革委员会'),
        ('Sichuan Jiuzhou Electric Group', '四川九洲电器集团'),
        ('State Council', '国务院'),
        ('central government', '中央政府'),
    ],
    "24-source-publisher.rq": [
        (ID + 'mianyang-mcf-article', 'Mianyang Development and Reform Commission', 'en', date(2018, 4, 16), 'derived from the URL path', False),
        (ID + 'mianyang-mcf-special-fund-2018-04-28', 'Mianyang Development and Reform Commission', 'en', date(2018, 4, 28), 'derived from the URL path', False),
    ],
    "25-variant-spellings.rq": [
        ('Mianyang', 'Miangyang'),
        ('Sichuan', 'Sichan'),
        ('vanguard for military-civilian integration innovation', 'vanguard for military-military integration innovation'),
    ],
    "26-ndrc-support.rq": [
        ('Mianyang', 'establishment of China Science and Technology City (Mianyang)'),
    ],
    "27-ndrc-technology-transfer-fields.rq": [
        ('air traffic control systems',),
        ('fine chemicals',),
        ('laser technology',),
        ('mechatronics',),
        ('nuclear physics',),
    ],
    "28-organisations-inferred.rq": [
        ('Central Committee of the Communist Party',),
        ('Communist Party',),
        ('Mianyang Development and Reform Commission',),
        ('National Development and Reform Commission',),
        ('Sichuan Jiuzhou Electric Group',),
        ('State Council',),
        ('central government',),
        ('the research center (not named in the source)',),
    ],
    "29-places-containing-mianyang.rq": [
        ('China',),
        ('Sichuan',),
        ('western region',),
    ],
    "30-target-roles.rq": [
        ('growth pole for the development of the western region', 'western region'),
        ('pilot city for national innovation-driven development', None),
        ('vanguard for military-civilian integration innovation', None),
    ],
    "31-transferred-resources.rq": [
        ('military enterprises', 'capacity', 'civilian sectors'),
        ('military enterprises', 'talent', 'civilian sectors'),
        ('military enterprises', 'technology', 'civilian sectors'),
        ('military scientific research institutes', 'capacity', 'civilian sectors'),
        ('military scientific research institutes', 'talent', 'civilian sectors'),
        ('military scientific research institutes', 'technology', 'civilian sectors'),
    ],
    "32-mianyang-achievements.rq": [
        ('a new path explored in improving industrial innovation and core competencies and in promoting the development of the military-civilian integration industry cluster and of its systems and mechanisms',),
        ('accelerated development of the military-civilian integration industry cluster',),
        ('an example for the development path of military-civilian integration',),
        ('great progress in military-civilian integration',),
        ('great results achieved in the projects that were approved and implemented',),
        ('improved industrial innovation',),
        ('local economic dynamism fully unleashed',),
        ('major breakthroughs in core competencies in the military-civilian integration industry',),
        ('strength in the defense industry turned into strength in the local economy',),
        ('transferred technology became the core competencies of industries in Mianyang',),
    ],
    "33-passages-per-paragraph.rq": [
        (0, 1),
        (1, 3),
        (2, 19),
        (3, 2),
        (4, 1),
    ],
    "34-editorial-fund-link.rq": [
        ('mcfkg editorial curation', 'mcfkg editors'),
    ],
    "35-sci-tech-city-priorities.rq": [
        ('accelerating the development of high-tech industry clusters',),
        ('developing military-civilian integration',),
        ('transformation and upgrading of industries',),
    ],
    "36-date-not-guessed.rq": True,
    "37-platforms-outpace-province.rq": [
        ('Sichuan', 25),
    ],
    "38-jiuzhou-superclasses.rq": True,
    "39-grant-amount-provenance.rq": [
        (0, 2, 'A Fund of RMB 500 Million'),
        (1, 1, 'On April 18'),  # needs the tie-breaker ?excerpt in the query's ORDER BY
        (1, 1, 'a fund of RMB 500 million'),
    ],
    "40-headline-special-fund.rq": [
        ('military-civilian integration project in China Sci-Tech City', 'China Science and Technology City (Mianyang)', 'National Special Fund'),
    ],
    "41-plan-basis-and-cluster.rq": [
        ('China Science and Technology City (Mianyang)', 'military-civilian integration high-tech industry cluster of China Science and Technology City (Mianyang)', 'China Science and Technology City (Mianyang)'),
        ('Mianyang', 'military-civilian integration high-tech industry cluster of China Science and Technology City (Mianyang)', 'China Science and Technology City (Mianyang)'),  # needs the tie-breaker ?basedOnStrengthsOf in the query's ORDER BY
    ],
    "42-expected-outcomes.rq": [
        (PLAN, 'great advances in the military-civilian integration industry cluster development in Mianyang', 'military-civilian integration high-tech industry cluster of China Science and Technology City (Mianyang)'),
        (PLAN, 'more support and confidence for the development of China Science and Technology City (Mianyang)', 'China Science and Technology City (Mianyang)'),
        ('RMB 500 million grant from the central government for the Mianyang plan', "helping Mianyang coordinate military-civilian integration 'like moves in a chess game'", 'Mianyang'),
        ('chain project of military and defense industries transferring technologies to civilian sectors', 'RMB 20 billion of investment attracted from enterprises outside', None),
        ('chain project of military and defense industries transferring technologies to civilian sectors', 'RMB 8.1 billion output in strategic emerging industries', None),
        ('chain project of military and defense industries transferring technologies to civilian sectors', 'increase of over RMB 39.6 billion in upstream, downstream and related industries', None),
        ('chain project of military and defense industries transferring technologies to civilian sectors', 'over 40 technology cooperation attracted', None),
        ('development focus of China Science and Technology City (Mianyang)', 'experience of exploring the military-civilian integration path shared with other cities', 'Mianyang'),
        ('development focus of China Science and Technology City (Mianyang)', 'great support for building a city of high-quality development and strong economic growth in the western region', 'western region'),
        ('development focus of China Science and Technology City (Mianyang)', "optimised economic benefits of Mianyang's national defense and economic development", 'Mianyang'),
        ('the previous special fund (not named in the source)', "helping Mianyang coordinate military-civilian integration 'like moves in a chess game'", 'Mianyang'),
    ],
    "43-system-and-mechanism-innovation.rq": [
        ('system and mechanism innovation in Mianyang', 'chain project of military and defense industries transferring technologies to civilian sectors', 'four military-civilian integration mechanisms explored by Mianyang'),
    ],
    "44-achievements-and-their-causes.rq": [
        ('great progress in military-civilian integration', 'chain project of military and defense industries transferring technologies to civilian sectors'),
        ('local economic dynamism fully unleashed', 'transfer of technologies, talents and capacity to civilian sectors by military research institutes and enterprises'),
        ('strength in the defense industry turned into strength in the local economy', 'transfer of technologies, talents and capacity to civilian sectors by military research institutes and enterprises'),
        ('transferred technology became the core competencies of industries in Mianyang', 'transfer of advanced military and defense-industry technology to civilian sectors in Mianyang'),
    ],
    "45-source-caveats.rq": [
        ('138 authorized patents', "The sentence is passive ('were authorized'); it is credited to Mianyang because the paragraph is about Mianyang."),
        ('9 standards made for different sectors', 'Made for different sectors; the sectors are not named.'),
        ('9 standards made for different sectors', "The sentence is passive ('were made'); it is credited to Mianyang because the paragraph is about Mianyang."),
        (PLAN, "Approved 'recently'; the source gives no date."),
        (PLAN, "The Mianyang special fund release of 2018-04-28 (paragraph 1, sentence 1) dates the approval 'On April 18' without a year; it is recorded as stated, --04-18 (xsd:gMonthDay). The year is most likely 2018, the year in both releases' addresses, but it is not stated and is not supplied. If it is 2018 the sources do not fit together: the Mianyang article, which its address dates 2018-04-16, two days earlier, already reports the plan as 'recently' approved. Either that address date is not the article's publication date or one release is wrong; each source's statement is kept as it stands."),
        ('Mianyang', "The headlines of both releases of the Mianyang Development and Reform Commission (the Mianyang article and the special fund release of 2018-04-28) misspell the city as 'Miangyang' (kept as a hidden label)."),
        ('Mianyang Development and Reform Commission', "'绵阳市发改委' is the usual Chinese abbreviation of the commission's name: standard usage, not taken from the article."),
        ('NDRC projects transferring military and defense-industry technologies to civilian sectors', "The five fields are introduced by 'several areas including', so the list may be incomplete; the article does not say where the projects are."),
        ('NDRC support for the project of transferring military and defense-industry technologies to civilian sectors in China Science and Technology City (Mianyang)', "Given 'in recent years'; the source says neither since when nor in what form."),
        ('National Development and Reform Commission', "'国家发改委' is the usual Chinese abbreviation of the commission's name: standard usage, not taken from the article."),
        ('RMB 500 million grant from the central government for the Mianyang plan', "The headline says the project receives support from the National Special Fund; the body says RMB 500 million was granted from the central government. Linking the grant to that fund is the editors' reading."),
        ('RMB 500 million grant from the central government for the Mianyang plan', "The special fund release's headline says the special fund was granted to China Sci-Tech City 'for the High-Tech Cluster Development of the Military-Civilian Integration'; the editors read this as for the plan of that name, which its first sentence says was approved when the fund was granted. Its official's 'the central government's special support' (paragraph 2, sentence 4) is read as this grant. 'On April 18, the ... Plan ... was approved ... and a fund of RMB 500 million was granted' may date the grant as well; only the approval is given that date."),
        ('Sichuan', "Paragraph 2, sentence 6 misspells the province as 'Sichan' (kept as a hidden label)."),
        ('application of Skyeye Laser and the low-level flying platform in more than 20 sectors', "The article does not say whether 'more than 20 sectors' counts each product's sectors or both together."),
        ('chain project of military and defense industries transferring technologies to civilian sectors', "Paragraph 2 refers to 'the project of the military and defense industries transferring technologies chain' (s3), 'the industrial chain project' (s16) and 'the industry chain project' (s18); the editors read these as one project."),
        ('chain project of military and defense industries transferring technologies to civilian sectors', "The special fund release (paragraph 2, sentence 1) says the NDRC supported 'the project of the military and defense industries transferring technologies to civilian sectors in China Science and Technology City (Mianyang)'; the editors read it as this project, which the Mianyang article calls a chain project."),
        ('focus the Mianyang plan proposes for Mianyang', "Proposed by the plan ('Mianyang should focus on'), based on Mianyang's resources and industrial foundation in the military industry; not reported as done."),
        ('four military-civilian integration mechanisms explored by Mianyang', "The second listed mechanism, 'military-civilian integration', repeats the umbrella term and overlaps the third ('military-civilian integration and exchange'); recorded as stated."),
        ('four military-civilian integration models developed by Mianyang', "The article announces four models but lists three (inside mis-encoded quotation marks 'ˇ°…ˇ±'); the stated count 4 and the three listed models are both recorded, the fourth is not invented."),
        ('great results achieved in the projects that were approved and implemented', "'At present'; the source does not say which projects, nor what the results are."),
        ('great results achieved in the projects that were approved and implemented', "The sentence is passive ('great results were achieved in the projects that were approved and implemented'); it is credited to Mianyang because the paragraph is about Mianyang."),
        ("helping Mianyang coordinate military-civilian integration 'like moves in a chess game'", "Said by the official: expected of the successful implementation of the previous special fund and of the central government's special support."),
        ('military enterprises', "'the military scientific research institutes and enterprises' is read as military research institutes and military enterprises."),
        ('military-civilian integration', "'military-civil fusion' is the other usual English rendering of 军民融合, the Chinese name of the policy: standard usage, not taken from the article."),
        ('military-civilian integration', 'Listed by the article as one of the four mechanisms although it is the name of the whole policy; recorded as stated.'),
        ('military-civilian integration project in China Sci-Tech City', "The headline's project is most likely the plan's military-civilian integration high-tech projects; the article does not say so explicitly, so the two are kept apart."),
        ('more support and confidence for the development of China Science and Technology City (Mianyang)', 'Said by the same official, of the implementation of the military-civilian integration high-tech industry cluster in China Science and Technology City (Mianyang).'),
        ('over 40 technology cooperation', "The article says 'over 40 technology cooperation' without a unit (projects, agreements, partners)."),
        ('the previous special fund (not named in the source)', "The special fund release does not say which earlier special fund its official means; it is kept apart from the National Special Fund of the Mianyang article's headline, which may or may not be the same."),
        ('the research center (not named in the source)', "The models mention 'the research center' without naming it."),
        ('vanguard for military-civilian integration innovation', "Paragraph 1, sentence 3 says 'military-military integration innovation', evidently a slip for 'military-civilian'; the label is corrected and the wording kept as a hidden label."),
        ('western region', "The western region of China as defined by the state's Western Development programme, which includes Sichuan."),
    ],
    "46-pattern-amounts.rq": [
        ('12 military-civilian integration high-tech projects of the Mianyang plan', D("2493000000"), None, None, 'CNY'),
        ('RMB 20 billion of investment attracted from enterprises outside', D("20000000000"), None, None, 'CNY'),
        ('RMB 500 million grant from the central government for the Mianyang plan', D("500000000"), None, None, 'CNY'),
        ('RMB 8.1 billion output in strategic emerging industries', D("8100000000"), None, None, 'CNY'),
        ('increase of over RMB 39.6 billion in upstream, downstream and related industries', None, D("39600000000"), 'exclusive', 'CNY'),
    ],
    "47-pattern-lower-bounds.rq": [
        ('application of Skyeye Laser and the low-level flying platform in more than 20 sectors', 'more than', 20, 'exclusive', 'sector'),
        ('increase of over RMB 39.6 billion in upstream, downstream and related industries', 'over', D("39600000000"), 'exclusive', 'CNY'),
        ('over 40 technology cooperation attracted', 'over', 40, 'exclusive', 'technology cooperation'),
    ],
    "48-pattern-counts.rq": [
        ('138 authorized patents', 138),
        ('48 world-leading high-tech products for both military and civilian sectors', 48),
        ('25 innovation platforms established in Mianyang', 25),
        ('12 military-civilian integration high-tech projects of the Mianyang plan', 12),
        ('9 standards made for different sectors', 9),
        ("four main areas of the Mianyang plan's projects", 4),
        ('four military-civilian integration mechanisms explored by Mianyang', 4),
        ('four military-civilian integration models developed by Mianyang', 4),
        ('two Sichuan Province Science and Technology Progress Award prizes conferred on Mianyang', 2),
    ],
    "49-pattern-stated-sets.rq": [
        ('12 military-civilian integration high-tech projects of the Mianyang plan', 12, 0),
        ('138 authorized patents', 138, 0),
        ('25 innovation platforms established in Mianyang', 25, 0),
        ('48 world-leading high-tech products for both military and civilian sectors', 48, 0),
        ('9 standards made for different sectors', 9, 0),
        ("four main areas of the Mianyang plan's projects", 4, 4),
        ('four military-civilian integration mechanisms explored by Mianyang', 4, 4),
        ('four military-civilian integration models developed by Mianyang', 4, 3),
    ],
    "50-pattern-fact-sentence.rq": [
        ('http://www.w3.org/1999/02/22-rdf-syntax-ns#type', 'https://w3id.org/mcfkg/def/ProductApplication', 2, 13, 'more than 20 sectors'),
        ('http://www.w3.org/2000/01/rdf-schema#label', 'application of Skyeye Laser and the low-level flying platform in more than 20 sectors', 2, 13, 'more than 20 sectors'),
        ('https://w3id.org/mcfkg/def/appliedProduct', ID + 'low-level-flying-platform', 2, 13, 'more than 20 sectors'),
        ('https://w3id.org/mcfkg/def/appliedProduct', ID + 'skyeye-laser', 2, 13, 'more than 20 sectors'),
        ('https://w3id.org/mcfkg/def/quantity', ID + 'skyeye-laser-low-level-flying-platform-application-sectors', 2, 13, 'more than 20 sectors'),
    ],
    # Questions across sources. The article and the special fund release of 2018-04-28
    # (data/sources/mianyang-mcf-special-fund-2018-04-28.trig) both state the approval, the grant, its
    # amount and funder, the NDRC's jurisdiction, the chain project's sectors and the 'Miangyang'
    # misspelling; no single-valued fact is disputed (the release's approval date, --04-18, has no
    # counterpart in the article). tests/test_agreement.py checks a disagreeing, invented source.
    "51-facts-with-several-sources.rq": [
        (ID + 'mianyang', 'http://www.w3.org/2004/02/skos/core#hiddenLabel', 'Miangyang', 2, 'https://w3id.org/mcfkg/id/mianyang-mcf-article https://w3id.org/mcfkg/id/mianyang-mcf-special-fund-2018-04-28'),
        (ID + 'mianyang-mcf-cluster-plan', 'https://w3id.org/mcfkg/def/approvedBy', ID + 'ndrc', 2, 'https://w3id.org/mcfkg/id/mianyang-mcf-article https://w3id.org/mcfkg/id/mianyang-mcf-special-fund-2018-04-28'),
        (ID + 'mianyang-mcf-grant', 'https://w3id.org/mcfkg/def/amount', ID + 'mianyang-mcf-grant-amount', 2, 'https://w3id.org/mcfkg/id/mianyang-mcf-article https://w3id.org/mcfkg/id/mianyang-mcf-special-fund-2018-04-28'),
        (ID + 'mianyang-mcf-grant', 'https://w3id.org/mcfkg/def/funds', ID + 'mianyang-mcf-cluster-plan', 2, 'https://w3id.org/mcfkg/id/mianyang-mcf-article https://w3id.org/mcfkg/id/mianyang-mcf-special-fund-2018-04-28'),
        (ID + 'mianyang-mcf-grant', 'https://w3id.org/mcfkg/def/grantedBy', ID + 'central-government', 2, 'https://w3id.org/mcfkg/id/mianyang-mcf-article https://w3id.org/mcfkg/id/mianyang-mcf-special-fund-2018-04-28'),
        (ID + 'mianyang-mcf-grant-amount', 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type', 'https://schema.org/MonetaryAmount', 2, 'https://w3id.org/mcfkg/id/mianyang-mcf-article https://w3id.org/mcfkg/id/mianyang-mcf-special-fund-2018-04-28'),
        (ID + 'mianyang-mcf-grant-amount', 'https://schema.org/currency', 'CNY', 2, 'https://w3id.org/mcfkg/id/mianyang-mcf-article https://w3id.org/mcfkg/id/mianyang-mcf-special-fund-2018-04-28'),
        (ID + 'mianyang-mcf-grant-amount', 'https://schema.org/value', D("500000000"), 2, 'https://w3id.org/mcfkg/id/mianyang-mcf-article https://w3id.org/mcfkg/id/mianyang-mcf-special-fund-2018-04-28'),
        (ID + 'ndrc', 'https://w3id.org/mcfkg/def/jurisdiction', ID + 'china', 2, 'https://w3id.org/mcfkg/id/mianyang-mcf-article https://w3id.org/mcfkg/id/mianyang-mcf-special-fund-2018-04-28'),
        (ID + 'technology-transfer-chain-project', 'https://w3id.org/mcfkg/def/transferFrom', ID + 'military-and-defense-industries', 2, 'https://w3id.org/mcfkg/id/mianyang-mcf-article https://w3id.org/mcfkg/id/mianyang-mcf-special-fund-2018-04-28'),
        (ID + 'technology-transfer-chain-project', 'https://w3id.org/mcfkg/def/transferTo', ID + 'civilian-sectors', 2, 'https://w3id.org/mcfkg/id/mianyang-mcf-article https://w3id.org/mcfkg/id/mianyang-mcf-special-fund-2018-04-28'),
    ],
    "52-sources-disagree.rq": [],
    "53-what-each-source-added.rq": [
        (ID + 'mianyang-mcf-article', ARTICLE_TITLE, 444, 433, 114, 107),
        (ID + 'mianyang-mcf-special-fund-2018-04-28', 'Special Fund Was Granted to China Sci-Tech City (Miangyang) for the High-Tech Cluster Development of the Military-Civilian Integration', 67, 56, 18, 11),
    ],
    "90-federation-wikidata.rq": FEDERATED,
}


@pytest.fixture(scope="module")
def reasoned() -> Dataset:
    return load_and_reason(Settings())


@pytest.fixture(scope="module")
def dataset(reasoned: Dataset) -> Dataset:
    """The reasoned dataset for rdflib as the server serves it: every graph named as it is, and a default
    graph holding the union of every graph but the vocabulary (copied: rdflib's union cannot leave one out)."""
    served = Dataset()
    for prefix, namespace in reasoned.namespaces():
        served.bind(prefix, namespace, override=False)
    vocabulary = set(Vocab().vocabulary_graphs)
    for s, p, o, graph_name in reasoned.quads((None, None, None, None)):
        served.graph(graph_name).add((s, p, o))
        if graph_name not in vocabulary:
            served.default_graph.add((s, p, o))
    return served


def python_value(term: Node | None) -> object:
    """A result term as the plain Python value the expectations are written in."""
    if term is None:
        return None
    if isinstance(term, Literal):
        return str(term) if term.datatype in (None, RDF.langString, XSD.string) else term.toPython()
    return str(term)


def query_files() -> list[str]:
    return sorted(p.name for p in QUERIES.glob("*.rq"))


def test_there_are_at_least_32_questions() -> None:
    assert len([name for name in query_files() if EXPECTED.get(name) is not FEDERATED]) >= 32


def test_every_expectation_has_a_query_file() -> None:
    assert sorted(EXPECTED) == query_files()


@pytest.mark.parametrize("name", query_files())
def test_query_file_is_documented(name: str) -> None:
    text = (QUERIES / name).read_text(encoding="utf-8")
    assert re.match(r"# title: \S.*\n# description: \S.*\n", text), "start with '# title:' and '# description:' lines"
    prepareQuery(text)  # parses, with every prefix it uses declared
    body = re.sub(r"^PREFIX .*$", "", text, flags=re.MULTILINE)
    unused = [p for p in re.findall(r"^PREFIX (\w*):", text, flags=re.MULTILINE) if not re.search(rf"(?<![\w/#]){p}:", body)]
    assert not unused, f"remove the unused PREFIX declarations {unused}"
    if re.search(r"^SELECT", text, flags=re.MULTILINE):
        assert "\nORDER BY " in text, "give a SELECT an ORDER BY so its rows come in a stable order"


@pytest.mark.parametrize("name", query_files())
def test_competency_question(name: str, dataset: Dataset) -> None:
    assert name in EXPECTED, f"add the expected answer of queries/{name} to EXPECTED"
    expected = EXPECTED[name]
    text = (QUERIES / name).read_text(encoding="utf-8")
    if expected is FEDERATED:
        assert "SERVICE" in text
        return
    result = dataset.query(text)
    if result.type == "ASK":
        assert result.askAnswer is expected
        return
    rows = [tuple(python_value(term) for term in row) for row in result]
    assert rows == expected


@pytest.fixture(scope="module")
def oxigraph(reasoned: Dataset, tmp_path_factory: pytest.TempPathFactory) -> tuple[ox.Store, Limits]:
    """The same quads in Oxigraph, the engine the server answers with, taken as the server takes a build
    (with the union graph that makes its default graph a set), and the server's limits."""
    build = tmp_path_factory.mktemp("build") / "mcfkg.nq"
    build.write_bytes(reasoned.serialize(format="nquads", encoding="utf-8"))
    return build_graphs.in_memory(str(build), query_limits(Settings()))


def from_oxigraph(term: ox.Literal | ox.NamedNode | ox.BlankNode | None) -> object:
    """An Oxigraph result term as the plain Python value the expectations are written in."""
    if isinstance(term, ox.Literal):
        return python_value(Literal(term.value, lang=term.language, datatype=None if term.language else term.datatype.value))
    return None if term is None else term.value


@pytest.mark.parametrize("name", [n for n in query_files() if EXPECTED.get(n) is not FEDERATED])
def test_server_engine_gives_the_same_answer_in_the_same_order(name: str, oxigraph: tuple[ox.Store, Limits]) -> None:
    """The UI runs these examples on Oxigraph, on the server's default dataset: same rows, same ORDER BY order as with rdflib."""
    store, limits = oxigraph
    options = dataset_options(store, False, QueryDataset(), limits)
    result = store.query((QUERIES / name).read_text(encoding="utf-8"), **options)
    if isinstance(result, ox.QueryBoolean):
        assert bool(result) is EXPECTED[name]
        return
    rows = [tuple(from_oxigraph(solution[v]) for v in result.variables) for solution in result]
    assert rows == EXPECTED[name]


def test_every_article_graph_is_derived_from_its_passage(dataset: Dataset) -> None:
    """Each fact graph of the article is declared and derived from the passage with the same locator."""
    graphs = [g.identifier for g in dataset.graphs() if str(g.identifier).startswith(ARTICLE_GRAPHS) and len(g)]
    assert len(graphs) == 26
    for graph in graphs:
        passages = list(dataset.objects(graph, PROV.wasDerivedFrom))
        assert len(passages) == 1, graph
        locator = str(graph)[len(ARTICLE_GRAPHS):]
        assert str(passages[0]) == ID + "mianyang-mcf-article/" + locator
        assert (graph, RDF.type, MCF.FactGraph) in dataset


def sentences(text: str) -> dict[tuple[int, int], str]:
    """The article's sentences by (paragraph, sentence): paragraph 0 is the headline."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return {
        (p, s): sentence
        for p, paragraph in enumerate(paragraphs)
        for s, sentence in enumerate(re.split(r"(?<=\.)\s+(?=[A-Z0-9])", paragraph), start=1)
    }


def test_excerpts_are_short_phrases_of_their_sentence(dataset: Dataset) -> None:
    by_locator = sentences(SOURCE_TEXT.read_text(encoding="utf-8"))
    passages = set(dataset.subjects(DCTERMS.isPartOf, URIRef(ID + "mianyang-mcf-article")))
    assert len(passages) == len(by_locator) == 26, "every sentence of the article states facts"
    for passage in passages:
        locator = (int(dataset.value(passage, MCF.paragraph)), int(dataset.value(passage, MCF.sentence)))
        excerpt = str(dataset.value(passage, MCF.excerpt))
        assert excerpt in by_locator[locator], (locator, excerpt)
        assert len(excerpt.split()) <= 6 and len(excerpt) < len(by_locator[locator]) / 2


def test_source_document_names_the_vendored_text(dataset: Dataset) -> None:
    """The graph's source document points at the copy of the article shipped in the repository."""
    identifier = dataset.value(URIRef(ID + "mianyang-mcf-article"), DCTERMS.identifier)
    assert identifier is not None and (ROOT / str(identifier)).resolve() == SOURCE_TEXT


NUMBER_WORDS = {"two": 2, "four": 4}


def stated_numbers(text: str) -> set[object]:
    """Every quantity the article states: RMB amounts in base units, counts in digits or words.

    Ordinals ("19th") and digits inside names ("C919") are names, not quantities.
    """
    scale = {"million": 10**6, "billion": 10**9}
    amounts = {D(value) * scale[unit] for value, unit in re.findall(r"RMB ([\d.]+) (million|billion)", text)}
    rest = re.sub(r"RMB [\d.]+ (million|billion)", " ", text)
    counts = {int(n) for n in re.findall(r"(?<![\w.])(\d+)(?![\w.])", rest)}
    counts |= {NUMBER_WORDS[w.lower()] for w in re.findall(r"\b(two|four)\b", rest, flags=re.IGNORECASE)}
    return amounts | counts


def test_every_quantity_of_the_article_is_a_typed_value_in_the_data(dataset: Dataset) -> None:
    """A quantity kept only inside a label or note could not be queried; each must be a typed literal."""
    numeric = (XSD.integer, XSD.decimal)
    values = {o.toPython() for o in dataset.objects() if isinstance(o, Literal) and o.datatype in numeric}
    stated = stated_numbers(SOURCE_TEXT.read_text(encoding="utf-8"))
    assert {D(2493000000), 12, 25, 138, 9, 48, 2, 4, 40, 1} <= stated  # the parser itself finds them
    assert not stated - values, sorted(map(str, stated - values))
