"""The bare PySide6 window of the outside start-up measure (benchmarks/xframe.py): a label in
a 1280 x 860 window, nothing else, until the harness ends the process."""

import sys

from PySide6.QtWidgets import QApplication, QLabel

app = QApplication(sys.argv)
w = QLabel("Fenêtre nue")
w.resize(1280, 860)
w.show()
sys.exit(app.exec())
