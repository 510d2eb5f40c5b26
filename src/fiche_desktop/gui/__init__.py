"""Qt services that are not screens: fonts, the search thread, paper, speech, the kiosk's screen guards.

Qt lives here, in views/ (the screens) and in app.py (the wiring); every other module is Qt-free.
"""
