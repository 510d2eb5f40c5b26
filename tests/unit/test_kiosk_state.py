"""The kiosk's visit cycle without Qt (kiosk.state): every event in every state, the countdown."""

from __future__ import annotations

import json

import pytest

from fiche_desktop.kiosk.session import MAX_LISTENING_MS
from fiche_desktop.kiosk.state import (
    TRANSITIONS,
    KioskEvent,
    KioskState,
    KioskStateMachine,
    listening_holds_off_idle,
)

ACTIVE, WARNING, ATTRACT = KioskState.ACTIVE, KioskState.WARNING, KioskState.ATTRACT
E = KioskEvent

# Every (state, event): the state it leads to, or None where the event means nothing there.
EXPECTED: dict[tuple[KioskState, KioskEvent], KioskState | None] = {
    (ACTIVE, E.IDLE_TIMEOUT): WARNING,
    (ACTIVE, E.INPUT): None,
    (ACTIVE, E.TICK): None,
    (ACTIVE, E.SLEEP): ATTRACT,
    (ACTIVE, E.DISMISS): None,
    (ACTIVE, E.RESET): ACTIVE,
    (WARNING, E.IDLE_TIMEOUT): None,
    (WARNING, E.INPUT): ACTIVE,
    (WARNING, E.TICK): WARNING,  # not the countdown's last second (see below)
    (WARNING, E.SLEEP): None,
    (WARNING, E.DISMISS): None,
    (WARNING, E.RESET): ACTIVE,
    (ATTRACT, E.IDLE_TIMEOUT): None,
    (ATTRACT, E.INPUT): None,
    (ATTRACT, E.TICK): None,
    (ATTRACT, E.SLEEP): None,
    (ATTRACT, E.DISMISS): ACTIVE,
    (ATTRACT, E.RESET): ACTIVE,
}


def machine_in(state: KioskState, warning_seconds: float = 5) -> KioskStateMachine:
    """A machine brought to state by the events a kiosk gets."""
    machine = KioskStateMachine(warning_seconds)
    if state is WARNING:
        assert machine.fire(E.IDLE_TIMEOUT) is WARNING
    elif state is ATTRACT:
        assert machine.fire(E.SLEEP) is ATTRACT
    assert machine.state is state
    return machine


def test_the_table_covers_every_state_and_event() -> None:
    assert set(EXPECTED) == {(s, e) for s in KioskState for e in KioskEvent}
    assert TRANSITIONS == {k: v for k, v in EXPECTED.items() if v is not None}


@pytest.mark.parametrize(("state", "event"), list(EXPECTED), ids=[f"{s}-{e}" for s, e in EXPECTED])
def test_each_event_moves_to_its_state_or_changes_nothing(state: KioskState, event: KioskEvent) -> None:
    machine = machine_in(state)
    expected = EXPECTED[(state, event)]
    assert machine.fire(event) is expected
    assert machine.state is (expected or state)


INVALID = [pair for pair, target in EXPECTED.items() if target is None]


@pytest.mark.parametrize(("state", "event"), INVALID, ids=[f"{s}-{e}" for s, e in INVALID])
def test_an_invalid_event_leaves_the_state_and_the_countdown_alone(state: KioskState, event: KioskEvent) -> None:
    machine = machine_in(state)
    before = (machine.state, machine.remaining)
    assert machine.fire(event) is None
    assert (machine.state, machine.remaining) == before


def test_a_kiosk_starts_active_with_no_countdown() -> None:
    machine = KioskStateMachine(15)
    assert (machine.state, machine.remaining) == (ACTIVE, 0)


def test_the_countdown_runs_down_to_the_attract_screen() -> None:
    machine = machine_in(ACTIVE, warning_seconds=3)
    assert machine.fire(E.IDLE_TIMEOUT) is WARNING and machine.remaining == 3
    assert machine.fire(E.TICK) is WARNING and machine.remaining == 2
    assert machine.fire(E.TICK) is WARNING and machine.remaining == 1
    assert machine.fire(E.TICK) is ATTRACT and machine.remaining == 0
    assert machine.fire(E.TICK) is None and machine.state is ATTRACT  # a late tick changes nothing
    assert machine.fire(E.DISMISS) is ACTIVE


@pytest.mark.parametrize(("seconds", "countdown"), [(15, 15), (2.2, 3), (0.4, 1), (0, 1), (-5, 1)])
def test_the_countdown_is_whole_seconds_and_at_least_one(seconds: float, countdown: int) -> None:
    machine = machine_in(WARNING, warning_seconds=seconds)
    assert machine.remaining == countdown
    for _ in range(countdown - 1):
        assert machine.fire(E.TICK) is WARNING
    assert machine.fire(E.TICK) is ATTRACT


def test_input_during_the_countdown_keeps_the_visit_and_the_next_idle_counts_in_full() -> None:
    machine = machine_in(WARNING, warning_seconds=4)
    machine.fire(E.TICK)
    machine.fire(E.TICK)
    assert machine.fire(E.INPUT) is ACTIVE and machine.remaining == 0
    assert machine.fire(E.IDLE_TIMEOUT) is WARNING and machine.remaining == 4


def test_a_reset_during_the_countdown_stops_it() -> None:
    machine = machine_in(WARNING)
    assert machine.fire(E.RESET) is ACTIVE and machine.remaining == 0
    assert machine.fire(E.TICK) is None


def test_states_read_as_their_names() -> None:
    """The e2e probe writes the state as JSON and compares it with "active", "attract"."""
    assert ACTIVE == "active" and WARNING == "warning" and ATTRACT == "attract"
    assert json.dumps({"state": machine_in(ATTRACT).state}) == '{"state": "attract"}'


@pytest.mark.parametrize(
    ("speaking", "since", "now", "holds"),
    [
        (False, 0, 10, False),  # nothing read aloud
        (True, 1000, 1000 + MAX_LISTENING_MS - 1, True),  # someone listening
        (True, 1000, 1000 + MAX_LISTENING_MS, False),  # but never longer than MAX_LISTENING_MS
    ],
)
def test_listening_holds_off_the_countdown_for_a_while(speaking: bool, since: float, now: float, holds: bool) -> None:
    assert listening_holds_off_idle(speaking, since, now) is holds
