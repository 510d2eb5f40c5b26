"""The kiosk's text sizes, without Qt: the A− / A+ steps and the point sizes each step gives."""

from __future__ import annotations

from dataclasses import dataclass

from fiche_desktop.kiosk.session import ZOOM_STEPS


def zoom_step(zoom: int, step: int) -> int:
    """The zoom step after zoom (step > 0: bigger, else smaller); zoom itself at either end."""
    if step > 0:
        return next((z for z in ZOOM_STEPS if z > zoom), zoom)
    return next((z for z in reversed(ZOOM_STEPS) if z < zoom), zoom)


@dataclass(frozen=True)
class TextSizes:
    """The point sizes of the kiosk at zoom (percent), for base_pt scaled by the configured font_scale."""

    base_pt: float
    font_scale: float
    zoom: int

    @property
    def chrome_pt(self) -> float:
        """The overlays and the bar at 100 %: the configured scale, up to twice the base size."""
        return self.base_pt * min(self.font_scale, 2.0)

    @property
    def content_pt(self) -> float:
        """The pages' text: it grows with every step."""
        return self.base_pt * self.font_scale * self.zoom / 100

    @property
    def bar_pt(self) -> float:
        """The bar grows a little with the text (up to 1.3 times), then fits by its own layouts."""
        return self.chrome_pt * max(1.0, min(1.3, self.zoom / 100))

    @property
    def label_pt(self) -> float:
        """The contents list and the line over the fiche grow up to the 120 % step only: the
        text itself grows further (the visitor zooms to read it)."""
        return min(self.content_pt, self.base_pt * self.font_scale * 1.2)
