import math

import pytest

from hjulet.lib.geo import SWEDEN_BOUNDS, svg_view_box, sweref99tm, to_svg_point, view_box_around


def test_central_meridian_maps_to_false_easting():
    easting, _ = sweref99tm(15.0, 62.0)
    assert easting == pytest.approx(500_000.0, abs=1e-6)


def test_equator_on_central_meridian_is_origin_northing():
    _, northing = sweref99tm(15.0, 0.0)
    assert northing == pytest.approx(0.0, abs=1e-6)


def test_meridian_arc_length_matches_grs80():
    # On the central meridian, northing = 0.9996 × the meridian arc from the equator.
    # GRS 80 meridian arc to 60° N is 6 654 072.819 m (standard geodetic tables).
    _, northing = sweref99tm(15.0, 60.0)
    assert northing == pytest.approx(0.9996 * 6_654_072.819, abs=0.5)


def test_east_of_meridian_is_east_and_symmetric():
    east, n_east = sweref99tm(18.0, 59.3)
    west, n_west = sweref99tm(12.0, 59.3)
    assert east > 500_000 > west
    assert east - 500_000 == pytest.approx(500_000 - west, abs=1e-6)
    assert n_east == pytest.approx(n_west, abs=1e-6)


def test_sweden_fits_in_the_bounds():
    min_e, min_n, max_e, max_n = SWEDEN_BOUNDS
    # Smygehuk (south), Treriksröset (north), Haparanda (east), Koster (west)
    for lon, lat in [(13.36, 55.34), (20.55, 69.06), (24.15, 65.83), (11.0, 58.9)]:
        easting, northing = sweref99tm(lon, lat)
        assert min_e < easting < max_e
        assert min_n < northing < max_n


def test_svg_y_axis_points_south():
    _, y_north = to_svg_point(*sweref99tm(20.0, 68.0))
    _, y_south = to_svg_point(*sweref99tm(13.0, 55.5))
    assert y_north < y_south


def test_view_box_around_frames_paths_with_margin():
    assert view_box_around(["M10 20 L30 20 L30 60Z", "M5 25 L8 25 L8 30Z"], margin=1) == (
        "4 19 27 42"
    )
    assert view_box_around([]) == svg_view_box()
    width = float(svg_view_box().split()[2])
    assert math.isclose(width, (SWEDEN_BOUNDS[2] - SWEDEN_BOUNDS[0]) / 1000)
