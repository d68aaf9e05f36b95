"""The graph in a remote SPARQL 1.1 store (``--store sparql+http://QUERY[,UPDATE]``), for when one machine is
not enough: the protocol client (``client``), the store (``store``), taking a build (``build_sync``),
answers in mcfkg's formats (``results``) and the choice of store from settings (``factory``)."""
