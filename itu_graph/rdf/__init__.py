"""RDF side of the pipeline: the ontology, building the dataset, validating it, mapping it."""
