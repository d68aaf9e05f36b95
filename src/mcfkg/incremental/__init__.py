"""Incremental ingest: add one source to a built graph by reasoning and validating only what it can change.

A full build reads every source; at a million triples it takes minutes. After it, the build's
state (``dist/state/``) lets ``mcfkg ingest`` add a source in time proportional to the source:

- :mod:`.state`: the build's state on disk (published quads, both closures, match keys), and whether it is current;
- :mod:`.reasoning`: what the source adds to both closures, joining it with the state through lazy lookups;
- :mod:`.reach` and :mod:`.validation`: which focus nodes the new triples can affect, read from the
  shapes, and SHACL on those nodes' neighbourhood alone;
- :mod:`.void` over :mod:`.stored_graph`: the VoID figures moved by the change, in the state, and the lines of `void.ttl` that changed;
- :mod:`.dump`: the N-Quads dump rewritten by lines;
- :mod:`.ingest`: the order of it all, and what a crash half-way leaves (a full build next time);
- :mod:`.terms`: terms between rdflib and pyoxigraph; :mod:`.errors`: why a change must be built in full.

Retracting a source still rebuilds in full: taking triples out of a closure needs more than a lookup.
"""
