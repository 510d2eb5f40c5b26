"""Qt services that are not screens: fonts, search thread, paper, speech; the kiosk's lock-down, full screen, watchdog.

Qt lives here, in views/ (the screens) and in app.py (the wiring); every other module is Qt-free.
"""
