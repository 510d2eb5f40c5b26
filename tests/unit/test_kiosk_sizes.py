"""The kiosk's text sizes without Qt (kiosk.sizes): the A− / A+ steps and the point sizes they give."""

from __future__ import annotations

import pytest

from fiche_desktop.kiosk.session import ZOOM_DEFAULT, ZOOM_STEPS
from fiche_desktop.kiosk.sizes import TextSizes, zoom_step


def test_a_plus_and_a_minus_walk_the_steps_and_stop_at_the_ends() -> None:
    up = [ZOOM_STEPS[0]]
    while (bigger := zoom_step(up[-1], +1)) != up[-1]:
        up.append(bigger)
    assert up == list(ZOOM_STEPS)
    assert zoom_step(ZOOM_STEPS[0], -1) == ZOOM_STEPS[0]
    assert zoom_step(ZOOM_DEFAULT, -1) == ZOOM_STEPS[ZOOM_STEPS.index(ZOOM_DEFAULT) - 1]


@pytest.mark.parametrize(
    ("scale", "zoom", "chrome", "content", "bar", "label"),
    [
        (1.0, 100, 11.0, 11.0, 11.0, 11.0),
        (1.0, 80, 11.0, 8.8, 11.0, 8.8),  # the bar never shrinks below its 100 % size
        (1.0, 140, 11.0, 15.4, 14.3, 13.2),  # the bar at most 1.3 times, the labels at the 120 % step
        (2.5, 200, 22.0, 55.0, 28.6, 33.0),  # the chrome at most twice the base size
    ],
)
def test_each_part_grows_as_far_as_it_should(
    scale: float, zoom: int, chrome: float, content: float, bar: float, label: float
) -> None:
    sizes = TextSizes(11.0, scale, zoom)
    got = (sizes.chrome_pt, sizes.content_pt, sizes.bar_pt, sizes.label_pt)
    assert got == pytest.approx((chrome, content, bar, label))
