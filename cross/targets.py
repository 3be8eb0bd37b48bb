#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Answers questions about cross/targets.toml, for the shell scripts (the Python ones import it).

    cross/targets.py names [--bare-metal | --boots]   target names, one a line
    cross/targets.py get TARGET KEY                   a value (a list: one item a line; unset: nothing)
    cross/targets.py packages [--test-guests] [TARGET...]
                                                      the Debian packages they need (none named: all;
                                                      --test-guests: and the test guests')
    cross/targets.py backports                        "package minimum-version" for backported packages
    cross/targets.py toolchain-builds [--test-guests] [TARGET...]
                                                      the commands that build the toolchains they need
                                                      (--test-guests: and the test guests)
    cross/targets.py path TARGET                      directories to put before PATH for its toolchain
    cross/targets.py meson-options TARGET             the -D options its build directory must have
    cross/targets.py readme-table                     README.md's ports table

An unknown target name exits 2, listing the valid ones.
"""
import os
import subprocess
import sys
import tomllib
from pathlib import Path

TOP = Path(__file__).resolve().parents[1]

# The host build runs its unit tests under these sanitizers; tests/run-all checks they are really on.
HOST_SANITIZERS = "address,undefined"


def load():
    with open(TOP / "cross/targets.toml", "rb") as f:
        return tomllib.load(f)


def targets():
    return load()["targets"]


def bare_metal():
    return [name for name, t in targets().items() if "cross_file" in t]


def booted():
    return [name for name, t in targets().items() if "emulator" in t]


def check(name):
    known = targets()
    if name not in known:
        print(f"unknown target '{name}' (targets: {', '.join(known)})", file=sys.stderr)
        sys.exit(2)
    return known[name]


def packages(names, test_guests=False):
    data = load()
    chosen = names or list(data["targets"])
    out = list(data["common"]["packages"])
    for name in chosen:
        t = check(name)
        out += data["toolchains"][t["toolchain"]]["packages"] + t.get("packages", [])
    if not names or test_guests:  # everything: the test guests too
        for guest in data.get("test_guests", {}).values():
            out += guest["packages"]
    return list(dict.fromkeys(out))


def toolchain_builds(names, test_guests=False):
    data = load()
    chosen = names or list(data["targets"])
    builds = [data["toolchains"][check(n)["toolchain"]].get("build") for n in chosen]
    if not names or test_guests:  # everything: the test guests too
        builds += [guest["build"] for guest in data.get("test_guests", {}).values()]
    return list(dict.fromkeys(b for b in builds if b))


def cache_paths():
    """The variables scripts/paths.sh sets: it stays the one place that says where the cache is."""
    out = subprocess.run(["bash", "-c", f". '{TOP}/scripts/paths.sh' && env -0"], capture_output=True,
                         check=True).stdout.decode()
    return dict(item.split("=", 1) for item in out.split("\0") if "=" in item)


def toolchain_path(name):
    toolchain = load()["toolchains"][check(name)["toolchain"]]
    if "prefix" not in toolchain:
        return []
    return [os.path.join(cache_paths()[toolchain["prefix"]], "bin")]


def environment(name):
    """os.environ with the target's toolchain on PATH."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join(toolchain_path(name) + [env.get("PATH", "")])
    return env


def meson_options(name):
    return [f"-Db_sanitize={HOST_SANITIZERS}", "-Db_lundef=false"] if "cross_file" not in check(name) else []


def emulator_column(t):
    emulator = t.get("emulator")
    if emulator is None:
        return "none exists" if "cross_file" in t else "none: runs as a Linux program"
    run = emulator["run"]
    text = f"`{run[0]} -M {run[run.index('-M') + 1]}`" if "-M" in run else f"`{run[0]}`"
    accel = run[run.index("-accel") + 1] if "-accel" in run else ""
    if accel == "tcg":
        text += " (TCG)"
    elif accel.startswith("tcg,thread=single"):
        text += " (TCG, one thread for all CPUs)"
    if "firmware" in t:
        text += f" + {t['firmware']}"
    return text


def boots_column(t):
    if "emulator" not in t:
        return "no: built and checked" if "cross_file" in t else "no: runs the unit tests"
    return "yes, with guests" if t["guests"] else "yes"


def readme_table():
    rows = ["| port | emulator | boots | what it does today |", "|---|---|---|---|"]
    for name, t in targets().items():
        rows.append(f"| {name} | {emulator_column(t)} | {boots_column(t)} | {t['description']} |")
    return "\n".join(rows)


def emit(lines):
    for line in lines:
        print(line)


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    command, args = argv[0], argv[1:]
    if command == "names":
        names = bare_metal() if "--bare-metal" in args else booted() if "--boots" in args else list(targets())
        emit(names)
    elif command == "get" and len(args) == 2:
        value = check(args[0]).get(args[1])
        if isinstance(value, list):
            emit(str(v) for v in value)
        elif isinstance(value, bool):
            print("true" if value else "false")
        elif value is not None:
            print(value)
    elif command == "packages":
        emit(packages([a for a in args if a != "--test-guests"], "--test-guests" in args))
    elif command == "backports":
        emit(f"{p} {v}" for p, v in load()["backports"].items())
    elif command == "toolchain-builds":
        emit(toolchain_builds([a for a in args if a != "--test-guests"], "--test-guests" in args))
    elif command == "path" and len(args) == 1:
        emit(toolchain_path(args[0]))
    elif command == "meson-options" and len(args) == 1:
        emit(meson_options(args[0]))
    elif command == "readme-table":
        print(readme_table())
    else:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
