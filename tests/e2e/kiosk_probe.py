"""Runs the real kiosk (fiche_desktop.app.main with its arguments) and, every 100 ms, writes
what it shows and where its buttons are to $KIOSK_PROBE (JSON, replaced atomically), so that
an X11 test can press them with xdotool as a visitor would. Nothing of the kiosk is replaced:
the probe only reads the widgets."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any


def main() -> int:
    out = Path(os.environ["KIOSK_PROBE"])
    from PySide6.QtCore import QPoint, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from fiche_desktop import app
    from fiche_desktop.views.kiosk_window import KioskWindow

    qt_app = app.make_application()  # the one QApplication: app.main() takes it up

    def rect(widget: QWidget) -> list[Any]:
        top_left = widget.mapToGlobal(QPoint(0, 0))
        return [top_left.x(), top_left.y(), widget.width(), widget.height(), widget.isVisible(), widget.isEnabled()]

    def snapshot() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, KioskWindow)]
        if not windows:
            return
        w = windows[0]
        fiche = w.current_fiche
        data = {
            "time": time.time(),
            "pid": os.getpid(),
            "window": rect(w),
            "full_screen": w.isFullScreen(),
            "state": w.state,
            "zoom": w.session.zoom,
            "fiche": fiche.slug if fiche is not None else None,
            "bar_mode": list(w.bar.mode.__dict__.values()),
            "buttons": {name: rect(b) + [b.text()] for name, b in w.bar.buttons.items()},
            "cards": {c.slug: rect(c) for c in w.home.cards if c.isVisible()},
            "overlays": [type(o).__name__ for o in w.overlays if o.isVisible()],
            "popup": QApplication.activePopupWidget() is not None,
            "modal": QApplication.activeModalWidget() is not None,
            "top_levels": sorted(x.windowTitle() for x in QApplication.topLevelWidgets() if x.isVisible()),
            "restorations": w.screen_keeper.watchdog.restorations,
        }
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, out)

    timer = QTimer(qt_app)
    timer.setInterval(100)
    timer.timeout.connect(snapshot)
    timer.start()
    return app.main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
