"""Kiosk mode: session rules and PIN guard (session, no Qt), lock-down filters and read aloud (Qt).

The kiosk's entry point is in app.py, like every other mode; its window is views/kiosk_window.py.
"""
