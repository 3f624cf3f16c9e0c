# The two commands of the README, and their parts.
.PHONY: demo test conformance setup setup-tests docs lint-cypher bench clean

demo: setup
	.venv/bin/itu-graph demo -o out

test: setup-tests
	.venv/bin/python -m pytest -q $(PYTEST_ARGS)

# the W3C SHACL suite (../shared) on the set-based engine, pySHACL and auto, counted per folder
conformance: setup-tests
	.venv/bin/python tests/w3c_shacl.py

setup:
	bash scripts/setup.sh

setup-tests:
	bash scripts/setup.sh --tests

docs: setup
	.venv/bin/itu-graph docs -o docs
	.venv/bin/python -m itu_graph.query_docs docs/queries.md

bench: setup
	.venv/bin/python benchmarks/run.py

clean:
	rm -rf out .pytest_cache
