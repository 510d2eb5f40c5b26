"""The kiosk's visit cycle, without Qt: its three states and the events that move it from one to the next.

    ACTIVE ──idle timeout──▶ WARNING ──input──▶ ACTIVE        (« Je suis là », a tap, a key, a move)
                             WARNING ──tick──▶ WARNING         (one second less on the countdown)
                             WARNING ──last tick──▶ ATTRACT   (the visit is over: the window forgets it)
    ACTIVE ──sleep──▶ ATTRACT ──dismiss──▶ ACTIVE              (start-up; a touch starts a new visit)
    any state ──reset──▶ ACTIVE                                (the visitor forgotten, on the home screen)

Any other event means nothing in that state: fire() returns None and nothing changes. The window
(views/kiosk_window.py) shows what each state needs; this module only decides which state comes next.
"""

from __future__ import annotations

import math
from enum import StrEnum

from fiche_desktop.kiosk.session import MAX_LISTENING_MS


class KioskState(StrEnum):
    ACTIVE = "active"  # a visitor is using the kiosk
    WARNING = "warning"  # nobody touched it for a while: « Êtes-vous encore là ? » counts down
    ATTRACT = "attract"  # between two visits: the attract screen covers everything


class KioskEvent(StrEnum):
    IDLE_TIMEOUT = "idle timeout"  # no input for the idle delay (and nobody listening)
    INPUT = "input"  # a sign of the visitor during the countdown
    TICK = "tick"  # one second of the countdown has passed
    SLEEP = "sleep"  # show the attract screen (at start-up)
    DISMISS = "dismiss"  # the attract screen touched, or the admin gesture on it
    RESET = "reset"  # the visit forgotten


ACTIVE, WARNING, ATTRACT = KioskState.ACTIVE, KioskState.WARNING, KioskState.ATTRACT

# (state, event) -> next state. TICK in WARNING goes to ATTRACT instead on the countdown's last second.
TRANSITIONS: dict[tuple[KioskState, KioskEvent], KioskState] = {
    (ACTIVE, KioskEvent.IDLE_TIMEOUT): WARNING,
    (WARNING, KioskEvent.INPUT): ACTIVE,
    (WARNING, KioskEvent.TICK): WARNING,
    (ACTIVE, KioskEvent.SLEEP): ATTRACT,
    (ATTRACT, KioskEvent.DISMISS): ACTIVE,
    (ACTIVE, KioskEvent.RESET): ACTIVE,
    (WARNING, KioskEvent.RESET): ACTIVE,
    (ATTRACT, KioskEvent.RESET): ACTIVE,
}


class KioskStateMachine:
    """The state of the visit cycle and the countdown's seconds left (in WARNING).

    warning_seconds is how long « Êtes-vous encore là ? » waits: rounded up, at least 1 second."""

    def __init__(self, warning_seconds: float) -> None:
        self.countdown_seconds = max(1, math.ceil(warning_seconds))
        self.state = KioskState.ACTIVE
        self.remaining = 0

    def fire(self, event: KioskEvent) -> KioskState | None:
        """Moves to the state event leads to and returns it; None (nothing changes) when event
        means nothing in the current state."""
        target = TRANSITIONS.get((self.state, event))
        if target is None:
            return None
        if event is KioskEvent.IDLE_TIMEOUT:
            self.remaining = self.countdown_seconds
        elif event is KioskEvent.TICK:
            self.remaining -= 1
            if self.remaining <= 0:
                target = ATTRACT
        if target is not WARNING:
            self.remaining = 0
        self.state = target
        return target


def listening_holds_off_idle(speaking: bool, speaking_since_ms: float, now_ms: float) -> bool:
    """True when the idle timeout must wait: someone is listening to the text read aloud,
    for less than MAX_LISTENING_MS so far."""
    return speaking and now_ms - speaking_since_ms < MAX_LISTENING_MS
