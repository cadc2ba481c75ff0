"""Map projection and SVG paths for the map of Sweden.

Boundaries arrive as WGS84 longitude/latitude. They are projected with the Gauss–Krüger
(transverse Mercator) formulas that Lantmäteriet publishes for SWEREF 99 TM (EPSG:3006):
GRS 80 ellipsoid, central meridian 15° E, scale 0.9996, false easting 500 000 m. The result is
in metres; the SVG uses kilometres with the y axis flipped, so north is up.
"""

import math

# GRS 80
_A = 6378137.0
_F = 1 / 298.257222101
_CENTRAL_MERIDIAN = math.radians(15.0)
_SCALE = 0.9996
_FALSE_EASTING = 500000.0

_E2 = _F * (2 - _F)
_N = _F / (2 - _F)
_A_ROOF = _A / (1 + _N) * (1 + _N**2 / 4 + _N**4 / 64)
_A1 = _E2
_B1 = (5 * _E2**2 - _E2**3) / 6
_C1 = (104 * _E2**3 - 45 * _E2**4) / 120
_D1 = (1237 * _E2**4) / 1260
_BETA = (
    _N / 2 - 2 * _N**2 / 3 + 5 * _N**3 / 16 + 41 * _N**4 / 180,
    13 * _N**2 / 48 - 3 * _N**3 / 5 + 557 * _N**4 / 1440,
    61 * _N**3 / 240 - 103 * _N**4 / 140,
    49561 * _N**4 / 161280,
)

# SWEREF 99 TM extent of Sweden's boundaries (metres), with a small margin.
SWEDEN_BOUNDS = (250_000.0, 6_120_000.0, 930_000.0, 7_680_000.0)


def sweref99tm(lon: float, lat: float) -> tuple[float, float]:
    """Project WGS84 degrees to SWEREF 99 TM (easting, northing) in metres."""
    phi = math.radians(lat)
    lam = math.radians(lon)
    sin_phi = math.sin(phi)
    phi_star = phi - sin_phi * math.cos(phi) * (
        _A1 + _B1 * sin_phi**2 + _C1 * sin_phi**4 + _D1 * sin_phi**6
    )
    delta_lam = lam - _CENTRAL_MERIDIAN
    xi = math.atan2(math.tan(phi_star), math.cos(delta_lam))
    eta = math.atanh(math.cos(phi_star) * math.sin(delta_lam))
    x = xi
    y = eta
    for k, beta in enumerate(_BETA, start=1):
        x += beta * math.sin(2 * k * xi) * math.cosh(2 * k * eta)
        y += beta * math.cos(2 * k * xi) * math.sinh(2 * k * eta)
    northing = _SCALE * _A_ROOF * x
    easting = _SCALE * _A_ROOF * y + _FALSE_EASTING
    return easting, northing


def to_svg_point(easting: float, northing: float) -> tuple[float, float]:
    """SWEREF 99 TM metres to SVG user units (km from the top-left of SWEDEN_BOUNDS)."""
    min_e, _, _, max_n = SWEDEN_BOUNDS
    return (easting - min_e) / 1000.0, (max_n - northing) / 1000.0


def svg_view_box() -> str:
    min_e, min_n, max_e, max_n = SWEDEN_BOUNDS
    return f"0 0 {(max_e - min_e) / 1000:.0f} {(max_n - min_n) / 1000:.0f}"


def view_box_around(paths: list[str], margin: float = 10.0) -> str:
    """The SVG view box (km) that frames the given 'M x y L x y … Z' paths."""
    numbers = [
        float(token)
        for path in paths
        for token in path.replace("M", " ").replace("L", " ").replace("Z", " ").split()
    ]
    if not numbers:
        return svg_view_box()
    xs, ys = numbers[0::2], numbers[1::2]
    left, top = min(xs) - margin, min(ys) - margin
    return f"{left:.0f} {top:.0f} {max(xs) - left + margin:.0f} {max(ys) - top + margin:.0f}"
