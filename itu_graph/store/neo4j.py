"""Neo4j through the official driver: a server, a cluster or Aura.

Reads run in READ access mode (routed to readers on a cluster; a write there is refused by the
server), writes in WRITE mode. Other servers speak Bolt too: FalkorDB's (the live Bolt tests run
on it) accepts writes in READ mode, so a read that reports changes is refused here as well, and
it has no ``CREATE CONSTRAINT … REQUIRE`` (``ensure_schema`` fails there with exit 3). The password is held only by the driver: it never appears in
messages, ``repr`` or logs, and URIs are shown without user info.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from ..errors import ParameterError, QueryError, ReadOnlyViolation, StoreError
from .base import GraphStore, Result

SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

#: The statements this store sends besides the sync and query ones (checked by Neo4j's linter).
SCHEMA_STATEMENTS = (
    "CREATE CONSTRAINT resource_uri IF NOT EXISTS FOR (n:Resource) REQUIRE n.uri IS UNIQUE",
    "CREATE INDEX resource_id IF NOT EXISTS FOR (n:Resource) ON (n.id)",
)


def split_uri(uri: str) -> tuple[str, str | None, str | None]:
    """(URI without user info, user, password). User info is everything before the *last* "@"
    of the authority, so a password holding "/", "?", "#", "[" or "@" stays whole and never
    leaks into the host, path or a parser's error message (urlsplit stops at the first "/")."""
    scheme, sep, rest = uri.partition("://")
    if not sep:
        raise ParameterError("the Neo4j URI is not of the form scheme://host[:port]")
    user = password = None
    if "@" in rest:
        info, _, rest = rest.rpartition("@")
        user, colon, secret = info.partition(":")
        user, password = unquote(user) or None, (unquote(secret) if colon else None)
    return f"{scheme}://{rest}", user, password


def redact_uri(uri: str | None) -> str:
    """The URI without user name or password; a URI that does not parse is shown as its scheme
    only, so no part of it can be a secret on screen."""
    if not uri:
        return ""
    try:
        bare, _user, _password = split_uri(uri)
        parts = urlsplit(bare)
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        if parts.port:
            host += f":{parts.port}"
        return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    except (ValueError, ParameterError):
        scheme = uri.partition("://")[0] if "://" in uri else ""
        return f"{scheme}://(unparsable URI)" if scheme.isalnum() or "+" in scheme else "(unparsable URI)"


def _plain(value: Any) -> Any:
    from neo4j.graph import Node, Path, Relationship
    # by class, not class name: the driver makes a subclass of Relationship per type ("BROADER")
    if isinstance(value, Node):
        return {"labels": sorted(value.labels), "properties": dict(value.items())}
    if isinstance(value, Relationship):
        return {"type": value.type, "properties": dict(value.items())}
    if isinstance(value, Path):
        return {"nodes": [_plain(n) for n in value.nodes], "relationships": [_plain(r) for r in value.relationships]}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


class Neo4jStore(GraphStore):
    name = "neo4j"

    def __init__(self, uri: str | None, username: str | None, password: str | None,
                 database: str | None = None):
        if not uri:
            raise ParameterError("no Neo4j URI: give --neo4j-uri or set NEO4J_URI")
        # user info in the URI is taken as credentials, then dropped from everything shown
        bare, uri_user, uri_password = split_uri(uri)
        try:
            parts = urlsplit(bare)
            parts.port  # noqa: B018 - raises ValueError on a bad port, which only the bare URI can hold
        except ValueError:
            raise ParameterError(f"the Neo4j URI {redact_uri(uri)} does not parse") from None
        if parts.scheme not in SCHEMES:
            raise ParameterError(f"unsupported Neo4j URI scheme in {redact_uri(uri)}; use one of {', '.join(SCHEMES)}")
        self._uri = redact_uri(uri)
        self._auth = (username or uri_user or "neo4j", password or uri_password or "")
        self.database = database or None
        self._driver = None

    def __repr__(self) -> str:
        return f"Neo4jStore({self._uri!r}, database={self.database!r})"

    def describe(self) -> str:
        return f"Neo4j {self._uri}" + (f" (database {self.database})" if self.database else "")

    def _connect(self):
        if self._driver is None:
            try:
                import neo4j
            except ImportError as exc:  # pragma: no cover
                raise StoreError("the neo4j driver is not installed: pip install neo4j") from exc
            driver = None
            try:
                driver = neo4j.GraphDatabase.driver(self._uri, auth=self._auth)
                driver.verify_connectivity()
            except Exception as exc:
                if driver is not None:
                    driver.close()
                raise StoreError(f"cannot reach Neo4j at {self._uri}: {type(exc).__name__}") from None
            self._driver = driver
        return self._driver

    def run(self, cypher: str, params: dict | None = None, *, write: bool = False) -> Result:
        import neo4j
        driver = self._connect()
        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS

        def work(tx):
            res = tx.run(cypher, params or {})
            records = list(res)
            summary = res.consume()
            if not write and summary.counters.contains_updates:
                # Neo4j refuses a write in READ mode before this; a Bolt server that does not
                # (FalkorDB's) reports the change here: raising rolls the transaction back where
                # the server has transactions, and never lets it pass as a read
                raise ReadOnlyViolation("this statement writes and the server did not enforce read-only "
                                        "access (not Neo4j?); run it with --write")
            return res.keys(), records, summary.counters

        try:
            with driver.session(database=self.database, default_access_mode=mode) as session:
                runner = session.execute_write if write else session.execute_read
                keys, records, counters = runner(work)
        except neo4j.exceptions.ClientError as exc:
            code = exc.code or ""
            if "AccessMode" in code or "ForbiddenOnReadOnlyDatabase" in code or "WriteOnReadOnlyAccess" in code:
                raise ReadOnlyViolation("this statement writes; run it with --write "
                                        "(the store was not changed)") from None
            raise QueryError(f"Neo4j refused the statement: {exc.message}") from None
        except neo4j.exceptions.Neo4jError as exc:
            raise QueryError(f"Neo4j error: {exc.message}") from None
        except neo4j.exceptions.DriverError as exc:
            raise StoreError(f"Neo4j unavailable at {self._uri}: {type(exc).__name__}") from None
        columns = list(keys)
        rows = [{k: _plain(r[k]) for k in columns} for r in records]
        counter_map = {
            "nodes_created": counters.nodes_created, "nodes_deleted": counters.nodes_deleted,
            "relationships_created": counters.relationships_created,
            "relationships_deleted": counters.relationships_deleted,
            "properties_set": counters.properties_set, "labels_added": counters.labels_added,
            "labels_removed": counters.labels_removed,
        }
        return Result(columns, rows, counter_map)

    def ensure_schema(self) -> None:
        for statement in SCHEMA_STATEMENTS:
            self.run(statement, write=True)

    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()
            self._driver = None
