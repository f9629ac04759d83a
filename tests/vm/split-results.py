"""Splits the guest's result channel into one log and one verdict per scenario.

The guest (guest/run-scenarios) writes to its second serial port:
    RAWBURN-VM BEGIN name
    …the scenario's output…
    RAWBURN-VM END name PASS|FAIL
and RAWBURN-VM DONE when every scenario has run.
Usage: split-results.py SERIAL_LOG RESULTS_DIR
"""
import os
import sys

serial, results = sys.argv[1], sys.argv[2]
os.makedirs(results, exist_ok=True)
current, lines = None, []
try:
    text = open(serial, "rb").read().decode("utf-8", "replace")
except FileNotFoundError:
    text = ""
for raw in text.splitlines():
    line = raw.rstrip("\r")
    if line.startswith("RAWBURN-VM BEGIN "):
        current, lines = line.split()[2], []
    elif line.startswith("RAWBURN-VM END ") and current:
        verdict = line.split()[3]
        with open(os.path.join(results, current + ".log"), "w") as f:
            f.write("\n".join(lines) + "\n")
        with open(os.path.join(results, current + ".result"), "w") as f:
            f.write(verdict + "\n")
        current = None
    elif line == "RAWBURN-VM DONE":
        open(os.path.join(results, ".done"), "w").close()
    elif current:
        lines.append(line)
if current:  # cut off: the machine stopped in the middle of it
    with open(os.path.join(results, current + ".log"), "w") as f:
        f.write("\n".join(lines) + "\n(the machine stopped before the scenario ended)\n")
    with open(os.path.join(results, current + ".result"), "w") as f:
        f.write("FAIL\n")
