"""Starts bqemulator without DuckDB's `spatial` extension, keeping external table definitions.

At start bqemulator downloads the `spatial` extension from the internet and dies when it
cannot; these machines reach no internet, and nothing labform tests needs GEOGRAPHY. This
wrapper makes that loader a no-op.

bqemulator also drops `externalDataConfiguration` from tables (the course's external tables
over Cloud Storage): the wrapper keeps it per table and returns it, with type `EXTERNAL`, as
BigQuery does. The data behind it is not read.

Usage: python bigquery_emulator.py start --rest-host 127.0.0.1 --rest-port N --grpc-port M
"""

from bqemulator.api.routes import tables
from bqemulator.storage import engine


def _no_spatial(self):
    """GEOGRAPHY is unavailable in the emulator started this way."""
    return None


engine.DuckDBEngine._load_spatial = _no_spatial

_EXTERNAL = {}
_to_meta = tables._rest_to_table_meta
_to_rest = tables._table_to_rest


def _rest_to_table_meta(project_id, dataset_id, body, clock, existing=None):
    meta = _to_meta(project_id, dataset_id, body, clock, existing)
    key = (project_id, dataset_id, meta.table_id)
    if "externalDataConfiguration" in body:
        if body["externalDataConfiguration"] is None:
            _EXTERNAL.pop(key, None)
        else:
            _EXTERNAL[key] = body["externalDataConfiguration"]
    elif existing is None:
        # A new table under an old name starts without one.
        _EXTERNAL.pop(key, None)
    return meta


def _table_to_rest(t):
    body = _to_rest(t)
    ext = _EXTERNAL.get((t.project_id, t.dataset_id, t.table_id))
    if ext is not None:
        body["externalDataConfiguration"] = ext
        body["type"] = "EXTERNAL"
    return body


tables._rest_to_table_meta = _rest_to_table_meta
tables._table_to_rest = _table_to_rest

from bqemulator.cli import main  # noqa: E402  (must follow the patch)

if __name__ == "__main__":
    main()
