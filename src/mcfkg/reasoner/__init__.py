"""A forward-chaining OWL 2 RL reasoner specialised to the rules mcfkg's ontology uses.

owlrl applies every OWL-RL rule to every triple in every cycle, in pure Python: about 100 s
of CPU for 100k triples. This engine is semi-naive (each triple meets the rest of the graph
once, through indexes) and implements only the rules the ontology and the data can trigger.
It derives exactly what owlrl derives from such input (the test suite compares the two
triple for triple); anything outside what it implements raises :class:`Unsupported` instead
of silently giving a smaller closure, and :mod:`mcfkg.reason` then falls back to owlrl.

- :mod:`.support`: which OWL constructs are implemented, and the check that refuses the rest;
- :mod:`.terms`: terms as small integers, so joins hash ints instead of IRIs;
- :mod:`.rules`: the OWL-RL rules, each as a join of one new triple with the graph;
- :mod:`.engine`: the indexed triple store and the work list that runs the rules to a fixpoint;
- :mod:`.oracle`: owlrl itself, the fallback and the reference the tests compare against.
"""

from mcfkg.reasoner.engine import Reasoner
from mcfkg.reasoner.support import Unsupported

__all__ = ["Reasoner", "Unsupported"]
