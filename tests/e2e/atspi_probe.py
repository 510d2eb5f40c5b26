"""What a screen reader reads, over AT-SPI: run by Debian's /usr/bin/python3 (python3-pyatspi),
inside a private D-Bus session (dbus-run-session), by tests/e2e/test_atspi.py.

    atspi_probe.py STEPS.json OUT.json -- APP COMMAND...

Starts the accessibility bus and the application (QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1), waits
for its window, runs the steps (snapshot, set_text, press, wait_for), listens to the
announcements (object:announcement) and writes everything to OUT.json. Not a pytest module:
pyatspi exists only for the system's Python.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any

LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
APP_NAME = "Fiche Desktop"


def bus_ready() -> bool:
    out = subprocess.run(
        ["dbus-send", "--session", "--print-reply", "--dest=org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus.GetAddress"],
        capture_output=True,
        text=True,
    )
    return out.returncode == 0 and "unix:" in out.stdout


def wait(predicate: Any, timeout: float, pump: Any) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pump()
        try:
            if predicate():
                return True
        except Exception:  # noqa: BLE001 - the tree changes while it is read
            pass
        time.sleep(0.1)
    return False


def main() -> int:
    steps_file, out_file = sys.argv[1], sys.argv[2]
    command = sys.argv[sys.argv.index("--") + 1 :]
    steps = json.loads(open(steps_file, encoding="utf-8").read())
    result: dict[str, Any] = {"snapshots": {}, "announcements": [], "children_changed": {}, "errors": [], "steps": []}
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    launcher = subprocess.Popen([LAUNCHER, "--launch-immediately"], **quiet)  # type: ignore[call-overload]
    app = None
    try:
        deadline = time.monotonic() + 15
        while not bus_ready():
            if time.monotonic() > deadline:
                result["errors"].append("the accessibility bus (at-spi-bus-launcher) did not start")
                return finish(result, out_file)
            time.sleep(0.1)
        import pyatspi
        from gi.repository import GLib

        context = GLib.MainContext.default()

        def pump() -> None:
            while context.pending():
                context.iteration(False)

        def heard(event: Any) -> None:
            source = event.source
            result["announcements"].append(
                {"message": str(event.any_data), "role": source.getRoleName(), "name": source.name}
            )

        def changed(event: Any) -> None:
            try:
                role = event.source.getRoleName()
            except Exception:  # noqa: BLE001 - a source already gone
                role = "?"
            key = f"{event.type} {role}"
            result["children_changed"][key] = result["children_changed"].get(key, 0) + 1

        pyatspi.Registry.registerEventListener(heard, "object:announcement")
        pyatspi.Registry.registerEventListener(changed, "object:children-changed")
        # As a screen reader does (Qt tells of removed children only to those who listen to states).
        pyatspi.Registry.registerEventListener(lambda event: None, "object:state-changed", "focus:")
        env = {**os.environ, "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1", "QT_QPA_PLATFORM": "xcb"}
        app = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=open(out_file + ".log", "wb"))
        desktop = pyatspi.Registry.getDesktop(0)

        def application() -> Any:
            for i in range(desktop.childCount):
                child = desktop.getChildAtIndex(i)
                if child is not None and child.name == APP_NAME and child.childCount:
                    return child
            return None

        if not wait(lambda: application() is not None, 40, pump):
            result["errors"].append("the application never appeared on the accessibility bus")
            return finish(result, out_file)
        for step in steps:
            run_step(step, application, result, pump, pyatspi)
        pump()
        if steps and steps[-1]["do"] == "press" and steps[-1].get("name") == "Quitter":
            try:  # the user quit: how the application ended
                result["exit_status"] = app.wait(20)
            except subprocess.TimeoutExpired:
                result["errors"].append("the application did not quit")
    finally:
        if app is not None and app.poll() is None:
            app.terminate()
            try:
                app.wait(10)
            except subprocess.TimeoutExpired:
                app.kill()
        launcher.terminate()
        launcher.wait(10)
    return finish(result, out_file)


def finish(result: dict[str, Any], out_file: str) -> int:
    with open(out_file, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)
    return 0


def node_data(node: Any, pyatspi: Any, path: str, depth: int) -> dict[str, Any]:
    role, name = node.getRoleName(), node.name or ""
    here = f"{path} / {role} « {name[:40]} »" if path else f"{role} « {name[:40]} »"
    states = node.getState()
    data: dict[str, Any] = {
        "role": role,
        "name": name,
        "description": node.description or "",
        "path": here,
        "states": sorted(pyatspi.stateToString(s) for s in states.getStates()),
        "attributes": dict(a.split(":", 1) for a in node.getAttributes() if ":" in a),
        "interfaces": [],
        "children": [],
    }
    for interface, query in (
        ("text", node.queryText),
        ("editable", node.queryEditableText),
        ("hypertext", node.queryHypertext),
        ("action", node.queryAction),
    ):
        try:
            value = query()
        except NotImplementedError:
            continue
        data["interfaces"].append(interface)
        if interface == "action":
            data["actions"] = [value.getName(i) for i in range(value.nActions)]
        if interface == "text" and role not in ("text", "entry"):
            data["text"] = value.getText(0, -1)
    if depth < 60:
        for i in range(min(node.childCount, 2000)):
            child = node.getChildAtIndex(i)
            if child is not None:
                data["children"].append(node_data(child, pyatspi, here, depth + 1))
    return data


def find(node: Any, role: str, name: str | None = None, prefix: str | None = None) -> Any:
    """The first node of role (and name, or name prefix), depth first."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current is None:
            continue
        if (role == "*" or current.getRoleName() == role) and (
            (name is None or current.name == name) and (prefix is None or (current.name or "").startswith(prefix))
        ):
            return current
        stack.extend(current.getChildAtIndex(i) for i in reversed(range(current.childCount)))
    return None


def run_step(step: dict[str, Any], application: Any, result: dict[str, Any], pump: Any, pyatspi: Any) -> None:
    kind = step["do"]
    result["steps"].append(kind)
    if kind == "snapshot":
        # "text": wait until a text view (Qt's read-only text, role label) whose name starts so is there.
        wait(lambda: not step.get("text") or find(application(), "*", None, step["text"]) is not None, 20, pump)
        if step.get("settle"):
            wait(lambda: False, step["settle"], pump)
        result["snapshots"][step["name"]] = node_data(application(), pyatspi, "", 0)
    elif kind == "set_text":
        target = find(application(), step["role"], step.get("name"))
        if target is None:
            result["errors"].append(f"set_text: no {step['role']} « {step.get('name')} »")
            return
        target.queryEditableText().setTextContents(step["value"])
    elif kind == "press":
        target = find(application(), step["role"], step.get("name"), step.get("prefix"))
        if target is None:
            result["errors"].append(f"press: no {step['role']} « {step.get('name') or step.get('prefix')} »")
            return
        target.queryAction().doAction(0)
    elif kind == "wait_for_announcement":

        def heard_it() -> bool:
            return any(step["contains"] in a["message"] for a in result["announcements"])

        if not wait(heard_it, step["timeout"], pump):
            result["errors"].append(f"no announcement containing « {step['contains']} » within {step['timeout']} s")
    elif kind == "wait_for_name":

        def present() -> bool:
            return find(application(), "*", step["name"]) is not None

        if not wait(present, step["timeout"], pump):
            result["errors"].append(f"nothing named « {step['name']} » within {step['timeout']} s")


if __name__ == "__main__":
    sys.exit(main())
