"""Takes the kiosk screenshots of the README in a real 1920×1080 X window (run under Xvfb).

Usage: scripts/kiosk-screenshots.sh   (starts Xvfb and openbox, then runs this file)
The images are saved 960 px wide in docs/images/.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(os.environ.get("SHOTS_DIR", ROOT / "docs" / "images"))
os.environ["FICHE_DESKTOP_CONFIG_DIR"] = tempfile.mkdtemp(prefix="kiosk-shots-")


def main() -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QCursor, QGuiApplication

    from fiche_desktop import config
    from fiche_desktop.app import make_application, open_content
    from fiche_desktop.views.kiosk_window import KioskWindow

    app = make_application()
    db, _warnings = open_content(None, system_only=True)
    w = KioskWindow(db, config.KioskConfig(printing=True), start_idle=False, idle_ms=3_600_000)
    w.show_kiosk()
    QCursor.setPos(1919, 1079)  # no hover effect in the pictures

    def settle(seconds: float = 0.5) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    def shot(name: str) -> None:
        settle()
        image = QGuiApplication.primaryScreen().grabWindow(0).toImage()
        OUT.mkdir(parents=True, exist_ok=True)
        image.scaledToWidth(960, Qt.TransformationMode.SmoothTransformation).save(str(OUT / f"{name}.png"))
        print(OUT / f"{name}.png", f"({image.width()}×{image.height()} screen)")

    only = set(sys.argv[1:])

    def want(name: str) -> bool:
        return not only or name in only

    if want("kiosk-home"):
        shot("kiosk-home")
    if want("kiosk-fiche-falc"):
        w.open_fiche("msp")
        shot("kiosk-fiche-falc")
    if want("kiosk-countdown"):
        w.open_fiche("msp")
        w.cycle.enter_warning()
        w.cycle.tick_timer.stop()  # a still picture
        shot("kiosk-countdown")
        w.cycle.stay()
    if want("kiosk-attract"):
        w.reset_session()
        w.cycle.enter_attract()
        shot("kiosk-attract")
    w.shutdown()
    w.close()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
