"""kg: government press briefings into an RDF knowledge graph, with the sentence behind every fact."""

__version__ = "0.1.0"
