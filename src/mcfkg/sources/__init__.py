"""Sources as first-class parts of the graph: list them, ingest one, retract one.

The files under ``data/`` are the single source of truth. An ingested source is one file,
``data/sources/<id>.trig``, holding every graph of the source (its description, passages and fact
graphs, all named ``mcfg:<id>`` or ``mcfg:<id>/...``), so retracting it is removing that file.
Everything else (inferences, dumps, VoID) is derived by ``mcfkg build``, and the server's store
takes each build's graphs (``mcfkg.sparql.build_graphs``).

- :mod:`mcfkg.sources.document`: read an incoming file into one source's quads and check its shape.
- :mod:`mcfkg.sources.reconcile`: new entities whose names match existing ones, and the decisions.
- :mod:`mcfkg.sources.catalogue`: the sources of the built graph, with their counts.
- :mod:`mcfkg.sources.changes`: ingest and retract as values (a ``Change``), shared by CLI and server.
- :mod:`mcfkg.sources.commands`: ``mcfkg sources|ingest|retract`` (output and exit codes).
"""
