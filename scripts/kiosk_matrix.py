"""Screenshots of the kiosk at every text size, for a person to look at (issue 18).

Run it on an X display of the size to check, e.g.:
    Xvfb :95 -screen 0 1024x768x24 & DISPLAY=:95 QT_QPA_PLATFORM=xcb .venv/bin/python scripts/kiosk_matrix.py OUT_DIR
Saves OUT_DIR/WxH-zoomZZZ-{home,fiche,countdown,pin}.png (the real window, grabbed), and
prints one line per picture: the window's geometry and the bar's layout.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ["FICHE_DESKTOP_CONFIG_DIR"] = tempfile.mkdtemp(prefix="kiosk-matrix-")
os.environ.setdefault("FICHE_DESKTOP_KIOSK_STATE_DIR", tempfile.mkdtemp(prefix="kiosk-matrix-state-"))


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "kiosk-matrix")
    fiche = sys.argv[2] if len(sys.argv) > 2 else "msp"
    from fiche_desktop import config
    from fiche_desktop.app import make_application, open_content
    from fiche_desktop.kiosk import pin as admin_pin
    from fiche_desktop.kiosk import session
    from fiche_desktop.views.kiosk_window import KioskWindow

    app = make_application()
    db, _warnings = open_content(None, system_only=True)
    cfg = config.KioskConfig(printing=True, admin_pin_hash=admin_pin.hash_pin("2468", iterations=1000))
    w = KioskWindow(db, cfg, start_idle=False, idle_ms=3_600_000)
    w.show_kiosk()

    def settle(seconds: float = 0.4) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    settle(1.0)
    screen = w.kiosk_geometry()
    size = f"{screen.width()}x{screen.height()}"
    out.mkdir(parents=True, exist_ok=True)

    def shot(name: str) -> None:
        settle()
        path = out / f"{size}-zoom{w.session.zoom:03d}-{name}.png"
        w.grab().save(str(path))
        print(path.name, w.geometry().getRect(), w.bar.mode)

    for zoom in session.ZOOM_STEPS:
        w.reset_session()
        w.session.zoom = zoom
        w._apply_zoom()
        shot("home")
        w.open_fiche(fiche)
        shot("fiche")
        w.cycle.enter_warning()
        w.cycle.tick_timer.stop()
        shot("countdown")
        w.cycle.stay()
        w.pin_overlay.open()
        shot("pin")
        w.pin_overlay.dismiss()
    w.shutdown()
    w.close()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
