"""The benchmark's query mix: the shapes of query analysts run against mcfkg.

Every query reads the union default graph (the server's default), except the provenance one,
which asks in which named graph a fact is stated. IRIs come from the generated sample, so the
mix follows whatever base IRI the data was generated under.
"""

from __future__ import annotations

from synthetic import Sample

from mcfkg.vocab import Vocab


def query_mix(vocab: Vocab, sample: Sample) -> dict[str, str]:
    """Name → SPARQL text, in the order the table prints them."""
    prefixes = (
        f"PREFIX mcf: <{vocab.MCF}>\nPREFIX mcfid: <{vocab.ID}>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "PREFIX prov: <http://www.w3.org/ns/prov#>\n"
    )
    org, province, country = f"<{sample.organisation}>", f"<{sample.province}>", f"<{sample.country}>"
    mix = {
        "lookup by IRI": f"SELECT ?p ?o WHERE {{ {org} ?p ?o }}",
        "2-hop join": (
            "SELECT ?project ?org ?place WHERE {\n"
            f"  ?project mcf:ledBy ?org . ?org mcf:locatedIn ?place . ?place mcf:partOf/mcf:partOf {province}\n}}"
        ),
        "aggregate GROUP BY": (
            "SELECT ?area (COUNT(?project) AS ?projects) (SUM(?amount) AS ?total) WHERE {\n"
            "  ?project a mcf:Project ; mcf:area ?area ; mcf:investment ?amount\n"
            "} GROUP BY ?area ORDER BY DESC(?total)"
        ),
        "property path": (
            "SELECT ?province (COUNT(DISTINCT ?org) AS ?orgs) WHERE {\n"
            f"  ?org a mcf:Organisation ; mcf:locatedIn/mcf:partOf* ?province . ?province mcf:partOf {country}\n"
            "} GROUP BY ?province"
        ),
        "regex FILTER on labels": (
            "SELECT ?s ?label WHERE {\n"
            '  ?s rdfs:label ?label FILTER(regex(?label, "^jiuzhou (laser|radar)", "i"))\n}'
        ),
        "OPTIONAL": (
            "SELECT ?project ?en ?zh WHERE {\n"
            f"  ?project mcf:ledBy {org} ; rdfs:label ?en FILTER(lang(?en) = 'en')\n"
            "  OPTIONAL { ?project rdfs:label ?zh FILTER(lang(?zh) = 'zh') }\n}"
        ),
        "provenance (GRAPH ?g)": (
            "SELECT ?project ?paragraph ?sentence WHERE {\n"
            f"  GRAPH ?g {{ ?project mcf:ledBy {org} }}\n"
            "  ?g prov:wasDerivedFrom ?passage . ?passage mcf:paragraph ?paragraph ; mcf:sentence ?sentence\n}"
        ),
    }
    return {name: prefixes + text for name, text in mix.items()}
