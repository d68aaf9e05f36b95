"""The HTTP side: SPARQL protocol, graph store, linked-data pages and the query UI."""
