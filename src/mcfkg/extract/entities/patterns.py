"""The words and patterns name rules look for: classes of names, name-ending words, product nouns,
model codes, anaphors ("the Plan", "the Group")."""

from __future__ import annotations

import re

from rdflib import URIRef

from mcfkg.extract.gazetteer import MCF, SCHEMA
from mcfkg.vocab import CANONICAL_BASE, Vocab

ID = Vocab(CANONICAL_BASE).ID
SCHEMA_ADMIN_AREA = URIRef(SCHEMA + "AdministrativeArea")
SCHEMA_PLACE = URIRef(SCHEMA + "Place")
ORG = URIRef("http://www.w3.org/ns/org#Organization")
SKOS_CONCEPT = URIRef("http://www.w3.org/2004/02/skos/core#Concept")
MAX_NAME_WORDS = 30

# Classes whose instances are facts or descriptions rather than names a text uses ("great progress in
# military-civilian integration", a passage, an amount node), or whose labels are generic words that
# would match everywhere ("output", "technology", "military-civilian integration"): never matched.
UNMATCHED_CLASSES = tuple(MCF[name] for name in (
    "Achievement", "ExpectedOutcome", "StatedSet", "Grant", "AwardConferral", "SupplierRelationship",
    "SupportRelationship", "TechnologyTransfer", "ProductApplication", "EstablishmentEvent", "Initiative",
    "Strategy", "TargetRole", "Passage", "SourceDocument", "FactGraph", "CurationGraph", "LinkRecord",
    "EditorialTeam", "Indicator", "TransferableResource", "DevelopmentPriority", "IntegrationMechanism",
    "IntegrationModel", "DateMethod", "UrlMethod")) + (
    URIRef(SCHEMA + "StructuredValue"), URIRef(SCHEMA + "MonetaryAmount"), URIRef(SCHEMA + "QuantitativeValue"),
    URIRef("http://www.w3.org/2004/02/skos/core#ConceptScheme"), URIRef("http://www.w3.org/ns/prov#Person"))
# A label that describes an unnamed thing ("the research center (not named in the source)").
UNNAMED_LABEL = re.compile(r"^the\s|\bnot named\b", re.IGNORECASE)

# The word that ends (or starts) a name, lower case without a final ".", → (class, rule, confidence).
HEADS: dict[str, tuple[URIRef, str, float]] = {}
for _words, _cls, _rule, _conf in (
    ("group groups", MCF.EnterpriseGroup, "org/head", 0.8),
    ("co company ltd limited corporation corp inc holdings plc llc factory works", MCF.Enterprise, "org/head", 0.8),
    ("institute academy laboratory laboratories lab university college", MCF.ResearchInstitute, "org/head", 0.75),
    ("center centre", MCF.ResearchInstitute, "org/head", 0.55),
    ("commission bureau administration ministry office department agency authority council",
     MCF.GovernmentAgency, "org/head", 0.75),
    ("committee", MCF.GovernmentAgency, "org/head", 0.6),
    ("government", MCF.Government, "org/head", 0.7),
    ("park zone", MCF.ScienceCity, "place/zone", 0.5),
    ("city municipality", MCF.City, "place/suffix", 0.7),
    ("province", MCF.Province, "place/suffix", 0.75),
    ("county district prefecture", SCHEMA_ADMIN_AREA, "place/suffix", 0.6),
    ("fund", MCF.Fund, "fund/head", 0.75),
    ("project", MCF.Project, "project/head", 0.6),
    ("award awards prize prizes medal", MCF.Award, "award/head", 0.75),
):
    for _word in _words.split():
        HEADS[_word] = (_cls, _rule, _conf)
# Document heads: the title goes on after them ("Implementation Plan for the ... in X City").
DOCUMENT_HEADS: dict[str, tuple[URIRef, float]] = {
    "plan": (MCF.ImplementationPlan, 0.7), "program": (MCF.ImplementationPlan, 0.65),
    "programme": (MCF.ImplementationPlan, 0.65), "guideline": (MCF.Guideline, 0.65),
    "guidelines": (MCF.Guideline, 0.65), "opinions": (MCF.Guideline, 0.6), "decision": (MCF.Decision, 0.6),
    "measures": (MCF.PolicyDocument, 0.55), "outline": (MCF.PolicyDocument, 0.55),
}
ENTERPRISE_TAILS = {"co", "ltd", "limited", "inc", "corp", "company", "group", "plc", "llc"}
CONNECTORS = {"of", "for", "and", "&", "on"}
COMPLEMENT_CONNECTORS = CONNECTORS | {"the", "in", "to", "with", "at"}
LEADING_NOISE = {"the", "a", "an", "this", "these", "its", "their", "our", "his", "her", "in", "on", "at", "by",
                 "with", "from", "for", "of", "and", "recently", "meanwhile", "also", "both", "all", "each",
                 "based", "under", "after", "since", "as", "to", "through", "new", "later", "earlier", "today",
                 "yesterday", "currently", "previously", "moreover", "furthermore", "additionally", "however", "then",
                 "now", "last", "next", "that", "those", "during", "before", "when", "while", "so", "thus",
                 "therefore", "besides", "first", "finally", "overall", "besides", "together", "it", "they", "we"}
PRODUCT_NOUNS = {"aircraft": MCF.Aircraft, "airliner": MCF.Aircraft, "jet": MCF.Aircraft, "plane": MCF.Aircraft,
                 "helicopter": MCF.Aircraft, "drone": MCF.Aircraft, "uav": MCF.Aircraft, "airship": MCF.Aircraft,
                 "fighter": MCF.Aircraft, "system": MCF.Product, "platform": MCF.Product, "radar": MCF.Product,
                 "satellite": MCF.Product, "engine": MCF.Product, "missile": MCF.Product, "chip": MCF.Product,
                 "vehicle": MCF.Product, "robot": MCF.Product, "laser": MCF.Product, "device": MCF.Product}
MODEL_CODE = re.compile(r"(?<![\w-])(?:[A-Z]{1,5}-?\d{1,4}[A-Z]?(?:-\d{1,4})?|[A-Z][a-z]{2,12}-\d{1,4}[A-Z]?)(?![\w-])")
NOT_MODEL_CODES = re.compile(r"^(?:RMB|USD|CNY|HKD|EUR|GDP|COVID|G\d|No\d*|[A-Z]\d|Tier\d+|Phase\d+|Grade\d+|Level\d+)$",
                             re.IGNORECASE)
QUOTED = re.compile(r"[\"“‘']([A-Z0-9][^\"“”‘’']{1,60}?)[\"”’']")
ANAPHORS: dict[str, tuple[URIRef, ...]] = {
    "plan": (MCF.PolicyDocument,), "programme": (MCF.PolicyDocument,), "program": (MCF.PolicyDocument,),
    "fund": (MCF.Fund,), "project": (MCF.Project,), "group": (MCF.EnterpriseGroup, MCF.Enterprise), "company": (MCF.Enterprise,),
    "institute": (MCF.ResearchInstitute,), "academy": (MCF.ResearchInstitute,), "university": (MCF.ResearchInstitute,),
    "commission": (MCF.GovernmentAgency,), "bureau": (MCF.GovernmentAgency,), "ministry": (MCF.GovernmentAgency,),
    "administration": (MCF.GovernmentAgency,), "committee": (MCF.GovernmentAgency,),
    "center": (MCF.ResearchInstitute,), "centre": (MCF.ResearchInstitute,), "laboratory": (MCF.ResearchInstitute,),
    "government": (MCF.Government, MCF.GovernmentAgency),
    "zone": (MCF.Region, MCF.ScienceCity), "park": (MCF.Region, MCF.ScienceCity), "city": (MCF.City, MCF.ScienceCity),
    "province": (MCF.Province,),
}
ANAPHOR = re.compile(r"\b[Tt]he (?:(?:municipal|provincial|local|city|county|district|national|new|said) )?("
                     + "|".join(ANAPHORS) + r")\b", re.IGNORECASE)
