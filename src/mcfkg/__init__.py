"""mcfkg: a knowledge graph of China's military-civil fusion, with provenance and a SPARQL endpoint."""

__version__ = "0.1.0"
