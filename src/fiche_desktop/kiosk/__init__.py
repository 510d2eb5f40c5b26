"""Kiosk mode's rules, without Qt: the visitor's session, its states, text sizes and print allowance, the PIN guard.

The kiosk's entry point is in app.py, like every other mode; its window is views/kiosk_window.py and
its Qt services (lock-down filters, full screen, read aloud, watchdog) are in gui/. Modules: session,
state (active, warning, attract), sizes, prints, reading (the text read aloud).
"""
