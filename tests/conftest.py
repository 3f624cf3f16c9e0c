"""Shared fixtures: the shipped data, a real FalkorDB-lite per test, the CLI runner."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import click
from click.testing import CliRunner

from itu_graph import pipeline
from itu_graph.settings import Settings, shipped_data, shipped_ontology
from itu_graph.store.falkordb import FalkorLiteStore

TESTS = Path(__file__).parent
TEST_DATA = TESTS / "data"
#: ``shared/`` beside the checkout holds inputs not copied into the repository (the seed report,
#: the W3C SHACL suite). A plain clone lacks it: tests needing it skip, with the reason. CI
#: (``.ci/run``) sets this variable, and there a missing file is a failure.
SHARED = TESTS.parent.parent / "shared"
REQUIRE_SHARED = "ITU_GRAPH_REQUIRE_SHARED"


def need_shared(path: Path) -> Path:
    """``path`` (under ../shared/), or skip the test saying why; fail instead under CI."""
    if path.exists():
        return path
    message = f"{path} is missing: ../shared/ sits beside the project's own checkout, not in a clone"
    if os.environ.get(REQUIRE_SHARED):
        pytest.fail(f"{message} ({REQUIRE_SHARED} is set: CI needs it)")
    pytest.skip(f"{message} (set {REQUIRE_SHARED}=1 to make this a failure)")
SEED_GRAPH = "https://w3id.org/itu-graph/itu/doc-itu-as-one-report-2024"


@pytest.fixture(scope="session")
def itu_settings() -> Settings:
    return Settings(data_dirs=[shipped_data()], ontology_dir=shipped_ontology())


@pytest.fixture(scope="session")
def itu_dataset(itu_settings):
    return pipeline.build_dataset(itu_settings)


@pytest.fixture(scope="session")
def ontology(itu_settings):
    return pipeline.load_ontology(itu_settings)


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "graph.db"


@pytest.fixture
def store(db_path):
    """A real embedded FalkorDB-lite on its own file, stopped after the test."""
    s = FalkorLiteStore(db_path)
    yield s
    s.close()


@pytest.fixture
def settings_for(db_path):
    """Settings on a test database for any data folders."""
    def make(*data_dirs: Path) -> Settings:
        return Settings(data_dirs=list(data_dirs) or [shipped_data()], ontology_dir=shipped_ontology(),
                        db_path=db_path)
    return make


@pytest.fixture(scope="session")
def loaded_itu(tmp_path_factory, itu_settings):
    """The ITU data loaded once into a FalkorDB-lite database shared by read-only tests."""
    db = tmp_path_factory.mktemp("itu-db") / "itu.db"
    settings = Settings(data_dirs=itu_settings.data_dirs, ontology_dir=itu_settings.ontology_dir, db_path=db)
    pipeline.load(settings)
    return settings


@pytest.fixture
def itu_store(loaded_itu):
    s = FalkorLiteStore(loaded_itu.db_path)
    yield s
    s.close()


@pytest.fixture
def copy_data(tmp_path):
    """A writable copy of a data folder (the shipped ITU data by default)."""
    def make(source: Path | None = None, name: str = "data") -> Path:
        target = tmp_path / name
        shutil.copytree(source or shipped_data(), target)
        return target
    return make


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def cli_env(db_path):
    """Environment for CLI runs: a private database, no Neo4j."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "ITU_GRAPH_"))}
    env["ITU_GRAPH_DB"] = str(db_path)
    return env


@click.command(context_settings={"ignore_unknown_options": True, "help_option_names": []})
@click.argument("argv", nargs=-1, type=click.UNPROCESSED)
def _entry(argv):
    from itu_graph.cli import main
    main(list(argv))


def run_cli(runner: CliRunner, args: list[str], env: dict | None = None):
    """Run the CLI through its real entry point, so errors map to their exit codes."""
    return runner.invoke(_entry, [str(a) for a in args], env=env)


@pytest.fixture(scope="session")
def analyzed_itu(loaded_itu):
    """The shared ITU database after `analyze` wrote its metrics."""
    from itu_graph.analysis import analyze
    analyze(loaded_itu)
    return loaded_itu
