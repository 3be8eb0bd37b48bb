# SPDX-License-Identifier: Apache-2.0
"""Judges what the hypervisor reported (its fact lines, docs/facts.md) against what a scenario expects
of it beyond plain lines: every frame given back, CPU shares that follow the weights. The hypervisor
itself judges nothing; this is where a run's facts become a pass or a failure."""
import re

BUILT = re.compile(r"^domain d(\d+) (\S+): built, .* weight (\d+),", re.M)
CPU = re.compile(r"^domain d(\d+) (\S+): (?:stopped|crashed|destroyed|still running).* (\d+) us of CPU", re.M)
FRAMES = re.compile(r"^hv: frames: (\d+) free before the domains were built, (\d+) free now, (\d+) domain\(s\) live",
                    re.M)
RAN_ON = re.compile(r"^domain d\d+ (\S+): ran on CPU\(s\)((?: \d+)+)$", re.M)
STOPS = re.compile(r"^hv: machine stops \((.*)\), status (success|failure)$", re.M)


def frames_back(text):
    """None when every frame came back once every domain was gone; else why not."""
    m = FRAMES.search(text)
    if m is None:
        return "no 'hv: frames:' line"
    before, now, live = (int(g) for g in m.groups())
    if live != 0:
        return f"{live} domain(s) still live at the end"
    if before != now:
        return f"{abs(before - now)} frames not given back ({before} free before the domains, {now} after)"
    return None


def weights_and_cpu(text, among=None):
    """Each domain's weight and the CPU time it used, in us, by name (`among` limits them to those
    domains); or why they cannot be judged, as (reason, None)."""
    weights = {name: int(w) for _, name, w in BUILT.findall(text) if among is None or name in among}
    used = {name: int(us) for _, name, us in CPU.findall(text) if among is None or name in among}
    if not weights or set(weights) != set(used):
        return (f"CPU time not reported for every domain ({len(weights)} built, {len(used)} reported: "
                f"{sorted(set(weights) ^ set(used))[:8]} differ)"), None
    if sum(used.values()) == 0:
        return "no CPU time used", None
    return weights, used


def shares(text, among=None, tolerance_points=5.0):
    """None when each domain's share of the CPU time the domains used is within `tolerance_points`
    percentage points of its share of the weights; else which one is not. `among` limits the comparison
    to those domains (the ones that want the CPU all along), else all of them."""
    weights, used = weights_and_cpu(text, among)
    if isinstance(weights, str):
        return weights
    total_us, total_weight = sum(used.values()), sum(weights.values())
    for name, weight in weights.items():
        measured = 100.0 * used[name] / total_us
        wanted = 100.0 * weight / total_weight
        if abs(measured - wanted) > tolerance_points:
            return f"{name} had {measured:.1f}% of the CPU, its weight asks {wanted:.1f}%"
    return None


def weight_class_shares(text, tolerance_percent):
    """None when the domains of each weight, taken together, had their weights' share of the CPU time the
    domains used within `tolerance_percent` of it (relative); else which weight did not. Used with many
    domains, where each one's share is too small for a tolerance in points to mean anything and a run
    of seconds gives each one too few slices to judge it alone."""
    weights, used = weights_and_cpu(text)
    if isinstance(weights, str):
        return weights
    total_us, total_weight = sum(used.values()), sum(weights.values())
    for weight in sorted(set(weights.values())):
        names = [n for n, w in weights.items() if w == weight]
        measured = sum(used[n] for n in names) / total_us
        wanted = weight * len(names) / total_weight
        if abs(measured - wanted) > wanted * tolerance_percent / 100.0:
            return (f"the {len(names)} domains of weight {weight} had {100 * measured:.2f}% of the CPU, their "
                    f"weights ask {100 * wanted:.2f}% (more than {tolerance_percent}% off)")
    return None


def ran_on_several(text, names):
    """None when each domain named in `names` says its vCPUs ran on at least two physical CPUs (the
    `ran on CPU(s)` line of a machine whose CPUs all run domains); else why not."""
    ran = {name: cpus.split() for name, cpus in RAN_ON.findall(text)}
    for name in names:
        if name not in ran:
            return f"no 'ran on CPU(s)' line for domain {name}"
        if len(ran[name]) < 2:
            return f"domain {name} ran on CPU {ran[name][0]} alone, not on several"
    return None


def stop_line(text, status):
    """None when the hypervisor stopped the machine once, with `status` ("success" or "failure")."""
    stops = STOPS.findall(text)
    if len(stops) != 1:
        return f"expected one 'hv: machine stops' line, saw {len(stops)}"
    if stops[0][1] != status:
        return f"the machine stopped with status {stops[0][1]} ({stops[0][0]}), expected {status}"
    return None


def judge(scenario, text):
    """The first failed judgement of the scenario's run, or None."""
    if "check" not in scenario:
        reason = stop_line(text, scenario["status"])
        if reason:
            return reason
    for line in scenario.get("absent", []):
        if line in text:
            return f"a line that must not appear: {line!r}"
    if scenario.get("frames_back") and (reason := frames_back(text)):
        return reason
    wanted = scenario.get("shares")
    if wanted and (reason := shares(text, wanted if isinstance(wanted, list) else None)):
        return reason
    if "weight_shares" in scenario and (reason := weight_class_shares(text, scenario["weight_shares"])):
        return reason
    if "several_cpus" in scenario and (reason := ran_on_several(text, scenario["several_cpus"])):
        return reason
    return None
