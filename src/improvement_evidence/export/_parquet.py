"""``export parquet``: one Parquet file per table, dtypes kept exactly.

pyarrow stores pandas' dtypes in the file's ``pandas`` metadata, so
``pandas.read_parquet`` gives back categoricals (with every category of the
enum, used or not), Int64, Float64, boolean and string columns. Fields of
type ``date`` are stored as Parquet dates (``date32``), not timestamps, so
DuckDB, polars and pyarrow read dates as dates; :func:`read_parquet` turns
them back into the ``datetime64`` columns ``load_table`` gives.
Each file also carries ``improvement_evidence`` metadata: package name,
version, whether the data are that released version, the content hash of
the exported files and the table's Table Schema.

One limit of the format: a table with no rows stores no dictionary, so
``pandas.read_parquet`` cannot know an empty categorical column's
categories. :func:`read_parquet` restores them from the embedded Table
Schema, and is exact for every table.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from . import _load, _need, _package_file

__all__ = ["read_parquet", "write"]


def write(out: Path, path) -> None:
    pa = _need("pyarrow", "parquet")
    pq = _need("pyarrow.parquet", "parquet")
    from .._resources import schema_path
    from ._stamp import stamp

    file = _package_file(path)
    ds = _load(path)
    st = stamp(file)
    package_name = json.loads(file.read_text(encoding="utf-8"))["name"]
    for name, frame in ds.items():
        schema = json.loads(schema_path(name, file).read_text(encoding="utf-8"))
        table = pa.Table.from_pandas(frame, preserve_index=False)
        for f in schema["fields"]:
            if f.get("type") == "date" and f["name"] in table.column_names:
                i = table.column_names.index(f["name"])
                table = table.set_column(i, pa.field(f["name"], pa.date32()), table.column(i).cast(pa.date32()))
        extra = {
            "name": package_name,
            "version": ds.version,
            "released": st.released,
            "content_hash": st.content_hash,
            "table": name,
            "schema": schema,
        }
        meta = dict(table.schema.metadata or {})
        meta[b"improvement_evidence"] = json.dumps(extra, sort_keys=True).encode("utf-8")
        pq.write_table(table.replace_schema_metadata(meta), out / f"{name}.parquet", compression="zstd")


def read_parquet(file: Path | str) -> pd.DataFrame:
    """Read one exported table with exactly the dtypes ``load_table`` gives.

    Examples:
        >>> import tempfile, pathlib
        >>> import improvement_evidence as ie
        >>> from improvement_evidence.export import export
        >>> from improvement_evidence.export._parquet import read_parquet
        >>> out = export("parquet", pathlib.Path(tempfile.mkdtemp()) / "pq")
        >>> read_parquet(out / "areas.parquet").equals(ie.load_table("areas"))
        True
    """
    pq = _need("pyarrow.parquet", "parquet")
    frame = pd.read_parquet(file)
    raw = (pq.read_schema(file).metadata or {}).get(b"improvement_evidence")
    if raw is None:
        return frame
    for f in json.loads(raw)["schema"]["fields"]:
        if f.get("type") == "date" and f["name"] in frame:
            frame[f["name"]] = pd.to_datetime(frame[f["name"]]).astype("datetime64[ns]")
        enum = f.get("constraints", {}).get("enum")
        if enum is not None and f["name"] in frame and list(frame[f["name"]].cat.categories) != list(enum):
            frame[f["name"]] = pd.Categorical(frame[f["name"]].astype(object), categories=list(enum))
    return frame
