"""Scoring one extraction against its gold graph (:func:`score`): nodes matched by name and value,
then every row tallied, the misses and false positives listed."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from decimal import Decimal

from rdflib import RDF, SKOS, Dataset, Graph
from rdflib.term import Node

from mcfkg.extract.model import Extraction
from mcfkg.extract.scoring.model import (
    AMOUNTS,
    COUNTS,
    DATES,
    ENTITIES,
    ENTITY_NAMES,
    FOAF,
    LISTED_ROWS,
    ORG,
    PROV,
    RELATIONS,
    SCHEMA,
    TYPE_ROW,
    Item,
    Score,
    SentenceKey,
)
from mcfkg.extract.scoring.reading import (
    OntologyTerms,
    Side,
    align_sentences,
    datatype_of,
    date_matches,
    dates_in,
    extraction_graphs,
    normalise_label,
    passages,
    relations_in,
    sentence_graphs,
)
from mcfkg.vocab import CANONICAL, Vocab


class _Scorer:
    def __init__(self, gold: Side, found: Side, ontology: OntologyTerms, texts: dict[SentenceKey, str],
                 known: set[Node]) -> None:
        self.gold, self.found, self.onto, self.texts, self.known = gold, found, ontology, texts, known
        self.score = Score()
        self.global_map = self._map_by_name()
        self.learned: dict[Node, Node] = {}  # fact nodes aligned by structure, by the first sentence that did

    # -- mapping the extraction's nodes to gold nodes
    def _map_by_name(self) -> dict[Node, Node]:
        gold_nodes = set(self.gold.types) | set(self.gold.names)
        by_name: dict[str, list[Node]] = defaultdict(list)
        for node in sorted(gold_nodes, key=str):
            for name in self.gold.names.get(node, ()):
                by_name[name].append(node)
        mapping: dict[Node, Node] = {}
        for node in sorted(set(self.found.types) | set(self.found.names), key=str):
            names = self.found.names.get(node, set())
            # The same IRI is the same entity (a name the gazetteer resolved), unless the extraction
            # names it otherwise: a minted slug that happens to equal a gold IRI proves nothing.
            if node in gold_nodes and (not names or names & self.gold.names.get(node, set())):
                mapping[node] = node
                continue
            options = sorted({g for name in self.found.names.get(node, ()) for g in by_name.get(name, ())}, key=str)
            if not options:
                continue
            types = self.found.types.get(node, set())
            first = self.found.first.get(node)
            options.sort(key=lambda g: (not (types & self.gold.types.get(g, set())),
                                        self.gold.first.get(g) != first, str(g)))
            mapping[node] = options[0]
        return mapping

    def _map_sentence(self, key: SentenceKey, gold_g: Graph, found_g: Graph) -> dict[Node, Node]:
        smap = dict(self.global_map)
        # Quantity nodes by value: exact key first, then same kind and value (a wrong bound still maps).
        gold_q = [q for q in self.gold.quantities.get(key, []) if q.has_node]
        found_q = [q for q in self.found.quantities.get(key, []) if q.has_node]
        used: set[Node] = set()
        for loose in (False, True):
            for fq in found_q:
                if fq.node in smap and smap[fq.node] in self.gold.quantity_nodes:
                    continue
                for gq in gold_q:
                    same = (fq.kind, fq.value) == (gq.kind, gq.value) if loose else fq.key == gq.key
                    if same and gq.node not in used:
                        smap[fq.node] = gq.node
                        used.add(gq.node)
                        break
        # Fact nodes by structure: same type, most relations in common. An alignment holds for the
        # rest of the article (a grant introduced in one sentence and referred to in the next).
        smap.update(self.learned)
        gold_rel = {self.onto.relation(*t) for t in relations_in(gold_g)}
        gold_free = ({n for t in gold_rel for n in (t[0], t[2])} | set(gold_g.subjects(RDF.type, None))) \
            - self.gold.quantity_nodes
        found_rel = {self.onto.relation(*t) for t in relations_in(found_g)}
        found_nodes = {n for t in found_rel for n in (t[0], t[2])} | set(found_g.subjects(RDF.type, None))
        for _ in range(2):  # a second pass sees the objects the first one aligned
            taken = {smap[n] for n in found_nodes if n in smap}
            pairs = []
            for n in sorted(found_nodes - self.found.quantity_nodes - set(smap), key=str):
                n_types = self.found.types.get(n, set())
                for g in sorted(gold_free - taken, key=str):
                    g_types = self.gold.types.get(g, set())
                    typed = bool(n_types & g_types)
                    if n_types and g_types and not typed:
                        continue
                    overlap = sum(1 for t in found_rel if (
                        (t[0] == n and (g, t[1], smap.get(t[2], t[2])) in gold_rel)
                        or (t[2] == n and (smap.get(t[0], t[0]), t[1], g) in gold_rel)))
                    if overlap or typed:
                        pairs.append((-overlap, not typed, str(n), str(g), n, g))
            for *_, n, g in sorted(pairs):
                if n not in smap and g not in taken:
                    smap[n] = self.learned[n] = g
                    taken.add(g)
        return smap

    # -- the rows
    def run(self) -> Score:
        keys = sorted(set(self.gold.graphs) | set(self.found.graphs))
        for key in keys:
            gold_g = self.gold.graphs.get(key, Graph())
            found_g = self.found.graphs.get(key, Graph())
            smap = self._map_sentence(key, gold_g, found_g)
            self._entities(key, gold_g, found_g, smap)
            self._quantities(key)
            self._dates(key, gold_g, found_g)
            self._relations(key, gold_g, found_g, smap)
        return self.score

    def _hit(self, row: str) -> None:
        self.score[row].tp += 1

    def _miss(self, key: SentenceKey, row: str, text: str, note: str = "") -> None:
        self.score[row].fn += 1
        if row in LISTED_ROWS:
            self.score.misses.append(Item(key, row, text, note))

    def _false(self, key: SentenceKey, row: str, text: str, note: str = "") -> None:
        self.score[row].fp += 1
        if row in LISTED_ROWS:
            self.score.false_positives.append(Item(key, row, text, note))

    def _type_name(self, cls: Node | None) -> str:
        if cls is None:
            return "(untyped)"
        text = str(cls)
        for prefix, ns in (("mcf:", str(self.onto.vocab.MCF)), ("schema:", str(SCHEMA)), ("org:", str(ORG)),
                           ("prov:", str(PROV)), ("skos:", str(SKOS)), ("foaf:", str(FOAF))):
            if text.startswith(ns):
                return prefix + text[len(ns):]
        return text

    def _entities(self, key: SentenceKey, gold_g: Graph, found_g: Graph, smap: dict[Node, Node]) -> None:
        gold_intro = {s for s in gold_g.subjects(RDF.type, None) if s not in self.gold.quantity_nodes}
        found_intro = {s for s in found_g.subjects(RDF.type, None) if s not in self.found.quantity_nodes}
        # A gold entity the candidates refer to by its own IRI (a resolved name) counts as found here;
        # one the gazetteer knows gets no entity candidate (none is needed), so it is not expected as one.
        referred = set(found_g.all_nodes())
        found_intro |= {n for n in referred if n in gold_intro and n not in self.found.types}
        gold_intro -= {g for g in self.known if g not in referred}
        gold_refs = set(gold_g.all_nodes())
        text = normalise_label(self.texts.get(key, ""))
        matched: set[Node] = set()
        for n in sorted(found_intro, key=str):
            g = smap.get(n)
            n_type = self.onto.primary(self.found.types.get(n, ()))
            if g in gold_intro and g not in matched:
                matched.add(g)
                g_type = self.onto.primary(self.gold.types.get(g, ()))
                group = self.onto.group(g_type)
                self._hit(ENTITY_NAMES)
                if n_type is None and n == g or n_type == g_type:
                    for row in (ENTITIES, group, TYPE_ROW + self._type_name(g_type)):
                        self._hit(row)
                else:
                    note = f"typed {self._type_name(n_type)}, gold {self._type_name(g_type)}"
                    for row in (ENTITIES, self.onto.group(n_type), TYPE_ROW + self._type_name(n_type)):
                        self._false(key, row, self.found.describe(n), note)
                    for row in (ENTITIES, group, TYPE_ROW + self._type_name(g_type)):
                        self._miss(key, row, self.gold.describe(g), note)
                continue
            if g is not None and g not in gold_intro and g in self.gold.first and (
                    g in gold_refs or any(name and re.search(rf"\b{re.escape(name)}\b", text)
                                          for name in self.gold.names.get(g, ()))):
                continue  # a re-mention of an entity introduced elsewhere
            note = "duplicate" if g in matched else ""
            for row in (ENTITIES, ENTITY_NAMES, self.onto.group(n_type), TYPE_ROW + self._type_name(n_type)):
                self._false(key, row, f"{self.found.describe(n)} a {self._type_name(n_type)}", note)
        for g in sorted(gold_intro - matched, key=str):
            g_type = self.onto.primary(self.gold.types.get(g, ()))
            for row in (ENTITIES, ENTITY_NAMES, self.onto.group(g_type), TYPE_ROW + self._type_name(g_type)):
                self._miss(key, row, f"{self.gold.describe(g)} a {self._type_name(g_type)}")

    def _quantities(self, key: SentenceKey) -> None:
        gold_q = list(self.gold.quantities.get(key, []))
        found_q = list(self.found.quantities.get(key, []))
        left = Counter(q.key for q in gold_q)
        hits: Counter[tuple[str, Decimal, str, str | None]] = Counter()
        for fq in found_q:
            if left[fq.key] > 0:
                left[fq.key] -= 1
                hits[fq.key] += 1
                self._hit(AMOUNTS if fq.kind == "amount" else COUNTS)
                if fq.bound_row:
                    self._hit(fq.bound_row)
            else:
                near = [g for g in gold_q if (g.kind, g.value) == (fq.kind, fq.value)]
                note = f"gold {near[0].describe()}" if near else ""
                self._false(key, AMOUNTS if fq.kind == "amount" else COUNTS, fq.describe(), note)
                if fq.bound_row:
                    self._false(key, fq.bound_row, fq.describe(), note)
        for gq in gold_q:
            if hits[gq.key] > 0:
                hits[gq.key] -= 1
                continue
            near = [f for f in found_q if (f.kind, f.value) == (gq.kind, gq.value)]
            note = f"extracted {near[0].describe()}" if near else ""
            self._miss(key, AMOUNTS if gq.kind == "amount" else COUNTS, gq.describe(), note)
            if gq.bound_row:
                self._miss(key, gq.bound_row, gq.describe(), note)

    def _dates(self, key: SentenceKey, gold_g: Graph, found_g: Graph) -> None:
        gold_d = dates_in(gold_g)
        used: set[int] = set()
        for fd in dates_in(found_g):
            i = next((i for i, gd in enumerate(gold_d) if i not in used and date_matches(gd.parts, fd.parts)), None)
            if i is None:
                self._false(key, DATES, f"{fd.literal} ({datatype_of(fd.literal)})")
            else:
                used.add(i)
                self._hit(DATES)
        for i, gd in enumerate(gold_d):
            if i not in used:
                self._miss(key, DATES, f"{gd.literal} ({datatype_of(gd.literal)}) "
                                       f"on {self.gold.describe(gd.subject)}")

    def _relations(self, key: SentenceKey, gold_g: Graph, found_g: Graph, smap: dict[Node, Node]) -> None:
        gold_rel = {self.onto.relation(*t) for t in relations_in(gold_g)}
        found_rel = {self.onto.relation(smap.get(s, s), p, smap.get(o, o)) for s, p, o in relations_in(found_g)}
        for t in sorted(found_rel, key=str):
            if t in gold_rel:
                self._hit(RELATIONS)
            else:
                self._false(key, RELATIONS, self._triple(t, self.found, smap))
        for t in sorted(gold_rel - found_rel, key=str):
            self._miss(key, RELATIONS, self._triple(t, self.gold))

    def _triple(self, t: tuple[Node, Node, Node], side: Side, smap: dict[Node, Node] | None = None) -> str:
        def name(n: Node) -> str:
            if n in self.gold.label or n in self.gold.types:
                return self.gold.describe(n)
            return side.describe(n)
        return f"{name(t[0])} {self._type_name(t[1])} {name(t[2])}"


def score(gold: Dataset, source_id: str, extraction: Extraction, ontology: Graph | None = None,
          vocab: Vocab = CANONICAL, known: Iterable[Node] = ()) -> Score:
    """Score ``extraction`` against the source ``source_id`` of ``gold`` (see the module docstring).

    ``ontology`` (``ontology/mcf.ttl``) gives the inverse properties and the class hierarchy that groups
    entity types; without it relations are compared as written and every type is reported alone.
    ``known``: the IRIs the extractor's gazetteer knows. The extractor proposes no entity candidate for
    a known name, so a gold entity among them is expected as an entity only where a candidate refers
    to it (then it is found); relations to it are scored as any others.
    """
    notes: list[str] = []
    mapping, texts = align_sentences(extraction, passages(gold, source_id, vocab), notes)
    gold_side = Side(sentence_graphs(gold, source_id, vocab), vocab)
    found_side = Side(extraction_graphs(extraction, mapping), vocab)
    result = _Scorer(gold_side, found_side, OntologyTerms(ontology, vocab), texts, set(known)).run()
    result.notes = notes
    return result
