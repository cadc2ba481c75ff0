"""Tables joined, narrowed and stored: ``concatenate``, ``encode``/``decode`` (every array
of every column, compressed on its own)."""

import zlib
from typing import Any

import numpy as np
import orjson

from ..analysis import Column, SurveyTable


def _array_fields() -> list[str]:
    return Column.array_fields()


def concatenate(first: SurveyTable, second: SurveyTable) -> SurveyTable:
    """``first`` followed by ``second`` (same questions), in response id order."""
    if second.n == 0:
        return first
    order = None
    if first.n and second.n and second.response_ids.min() < first.response_ids[-1]:
        order = np.argsort(np.concatenate([first.response_ids, second.response_ids]), kind="stable")
    columns = {}
    for name, a in first.columns.items():
        b = second.columns[name]
        values: dict[str, Any] = {}
        for field in _array_fields():
            x, y = getattr(a, field), getattr(b, field)
            if x is None and y is None:
                continue
            # only ``asked`` may be absent on one side (everyone there was asked)
            x = np.ones(first.n, dtype=bool) if x is None else x
            y = np.ones(second.n, dtype=bool) if y is None else y
            if x is not None:
                joined = np.concatenate([x, y])
                values[field] = joined if order is None else joined[order]
        if a.texts is not None:
            texts = a.texts + b.texts
            values["texts"] = texts if order is None else [texts[i] for i in order]
        columns[name] = Column(name=name, type=a.type, options=a.options, **values)

    def join(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        joined = np.concatenate([x, y])
        return joined if order is None else joined[order]

    return SurveyTable(
        n=first.n + second.n,
        columns=columns,
        county=join(first.county, second.county),
        sector=join(first.sector, second.sector),
        response_ids=join(first.response_ids, second.response_ids),
    )


def _take(table: SurveyTable, keep: np.ndarray) -> SurveyTable:
    return SurveyTable(
        n=int(keep.sum()),
        columns={name: column.take(keep) for name, column in table.columns.items()},
        county=table.county[keep],
        sector=table.sector[keep],
        response_ids=table.response_ids[keep],
    )


MAGIC = b"HJT1"


def encode(table: SurveyTable) -> bytes:
    """Every array of every column, each compressed on its own (no pickles, no copy of the
    whole table in memory): codes as the smallest integers that hold them, text answers as
    one JSON array per column. A header (JSON) names each array, its dtype, shape and
    length."""
    parts: list[tuple[str, np.ndarray]] = [("response_ids", table.response_ids)]
    for key in ("county", "sector"):
        values, index = np.unique(getattr(table, key).astype(str), return_inverse=True)
        parts += [(f"{key}.values", values), (f"{key}.index", index.astype(np.uint32))]
    columns = []
    for position, column in enumerate(table.columns.values()):
        columns.append([column.name, column.type, column.options])
        for field in _array_fields():
            value = getattr(column, field)
            if value is None:
                continue
            if field == "codes" and len(column.options) < 127:
                value = value.astype(np.int8)
            parts.append((f"{position}.{field}", value))
        if column.texts is not None:
            texts = np.frombuffer(orjson.dumps(column.texts), np.uint8)
            parts.append((f"{position}.texts", texts))
    blobs, index_ = [], []
    for key, array in parts:
        blob = zlib.compress(np.ascontiguousarray(array).data, 1)
        blobs.append(blob)
        index_.append([key, array.dtype.str, list(array.shape), len(blob)])
    header = orjson.dumps({"n": table.n, "columns": columns, "arrays": index_})
    return b"".join([MAGIC, len(header).to_bytes(4, "little"), header, *blobs])


def decode(data: bytes) -> SurveyTable:
    if data[:4] != MAGIC:
        raise ValueError("not a stored survey table")
    size = int.from_bytes(data[4:8], "little")
    meta = orjson.loads(data[8 : 8 + size])
    view = memoryview(data)
    offset = 8 + size
    stored: dict[str, np.ndarray] = {}
    for key, dtype, shape, length in meta["arrays"]:
        raw = zlib.decompress(view[offset : offset + length])
        stored[key] = np.frombuffer(raw, dtype=np.dtype(dtype)).reshape(shape)
        offset += length
    columns = {}
    for position, (name, kind, options) in enumerate(meta["columns"]):
        values: dict[str, Any] = {}
        for field in _array_fields():
            value = stored.get(f"{position}.{field}")
            if value is not None:
                values[field] = value.astype(np.int32) if field == "codes" else value
        texts = stored.get(f"{position}.texts")
        if texts is not None:
            values["texts"] = orjson.loads(texts.tobytes())
        columns[name] = Column(name=name, type=kind, options=options, **values)
    return SurveyTable(
        n=meta["n"],
        columns=columns,
        county=stored["county.values"][stored["county.index"]],
        sector=stored["sector.values"][stored["sector.index"]],
        response_ids=stored["response_ids"],
    )
