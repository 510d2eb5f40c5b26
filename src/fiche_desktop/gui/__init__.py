"""Qt services that are not screens: fonts, the search thread, paper, the kiosk's lock-down, speech, watchdog and X11.

Qt lives here, in views/ (the screens) and in app.py (the wiring); every other module is Qt-free.
"""
