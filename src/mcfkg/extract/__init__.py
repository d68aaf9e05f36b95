"""Assisted extraction: from a new article's text to candidate facts a person reviews, then ingests.

The steps, one module each (data types in :mod:`mcfkg.extract.model`):

- :mod:`.text`: read plain text or a saved HTML page (boilerplate removed) into paragraphs and
  sentences with character offsets (headline = paragraph 0, the "Source:" line its own paragraph);
- :mod:`.quantities`: money, counts, percentages and areas with their qualifiers, in base units;
- :mod:`.dates`: absolute and relative dates, resolved against the publication date when known;
- :mod:`.gazetteer`: every name the graph knows (labels, alternative, hidden and Chinese names) → IRI;
- :mod:`.entities`: known names resolved, new organisations, places, products, plans and funds proposed;
- :mod:`.relations`: the ontology's relations, each candidate with the rule that proposed it;
- :mod:`.pipeline`: ``extract()`` runs them and builds the :class:`~.model.Extraction`;
- :mod:`.review_file`: the review file (TriG) written by ``mcfkg extract`` and read by the review;
- :mod:`.review`: accept, reject, edit; SHACL on the accepted set; the accepted facts as one source.
"""
