"""Where windows go on a screen and the zoom's steps (window_fit), without Qt."""

from __future__ import annotations

import pytest

from fiche_desktop import window_fit
from fiche_desktop.window_fit import ZOOM_STEPS, fit, parse_geometry, zoom_in, zoom_out


def test_a_saved_place_reads_back_and_anything_else_is_ignored() -> None:
    assert parse_geometry(window_fit.geometry_text((10, -20, 1200, 700))) == (10, -20, 1200, 700)
    for bad in ("", "1280x860", "1,2,3", "a,b,c,d", "0,0,0,500", "0,0,-5,500", "0,0,10000000,10", "1,2,3,4,min"):
        assert parse_geometry(bad) is None, bad
    maximised = window_fit.geometry_text((0, 0, 1366, 768), maximised=True)
    assert maximised == "0,0,1366,768,max" and parse_geometry(maximised) == (0, 0, 1366, 768)
    assert window_fit.is_maximised(maximised) and not window_fit.is_maximised("0,0,1366,768")


@pytest.mark.parametrize(
    ("rect", "screen", "expected"),
    [
        ((0, 0, 1280, 860), (0, 0, 1366, 768), (0, 0, 1280, 768)),  # the old fixed size on a laptop
        ((0, 0, 1280, 860), (0, 0, 1024, 700), (0, 0, 1024, 700)),
        ((2000, 300, 900, 600), (0, 0, 1366, 768), (466, 168, 900, 600)),  # left on a screen now gone
        ((-50, -40, 800, 600), (0, 30, 1920, 1050), (0, 30, 800, 600)),  # under a top panel
        ((100, 100, 200, 100), (0, 0, 1920, 1080), (100, 100, 640, 480)),  # never below the minimum
        ((0, 0, 900, 700), (0, 0, 600, 400), (0, 0, 600, 400)),  # nor larger than a tiny screen
    ],
)
def test_a_window_is_brought_inside_the_screen(rect, screen, expected) -> None:
    assert fit(rect, screen) == expected


def test_zoom_steps_are_10_to_25_percent_apart_reach_200_in_five_presses_and_stop_at_300() -> None:
    assert all(1.10 <= b / a <= 1.25 for a, b in zip(ZOOM_STEPS, ZOOM_STEPS[1:], strict=False))
    zoom, presses = 100, 0
    while zoom < 200:
        zoom, presses = zoom_in(zoom), presses + 1
    assert (zoom, presses) == (200, 5)
    assert zoom_in(300) == 300 and zoom_out(50) == 50 and zoom_out(100) == 90
    assert zoom_in(130) == 150 and zoom_out(130) == 125  # a zoom saved between two steps
    assert window_fit.zoom_label(175) == "Zoom 175\u00a0%"
