"""Start-up time: from launching a process to the home screen being ready (the app's own Ready event,
sent after the first frame), `mockint --help`, and light commands (--version, config, transcript show, rubric
list, history, grade of one file). Targets on this machine: < 0.8 s and < 0.15 s.

Each figure is the median of several fresh processes, measured from spawn (interpreter start included).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _record import record

READY = """
from pathlib import Path
import mockint.tui.app as app_module
from mockint.tui.app import MockintApp

class Timed(MockintApp):
    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))  # a class defined in -c has no file

    def on_ready(self) -> None:
        print("ready", flush=True)
        self.exit()

Timed().run(headless=True, size=(100, 30))
"""


def time_to_ready(env: dict[str, str]) -> float:
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", READY], stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - started
    proc.wait(timeout=30)
    if line.strip() != "ready":
        raise RuntimeError("the app did not report ready")
    return elapsed


def time_help(env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mockint", "--help"], capture_output=True, check=True, env=env)
    return time.perf_counter() - started


TRANSCRIPT = str(Path(__file__).resolve().parents[1] / "tests" / "calibration" / "tuning" / "impact_story"
                 / "strong_fraud_false_declines.txt")  # fmt: skip
LIGHT = {  # commands that need neither the app nor a model, nor (but grade) the grader
    "version": ["--version"],
    "config": ["config"],
    "transcript_show": ["transcript", "show", TRANSCRIPT],
    "rubric_list": ["rubric", "list"],
    "history": ["history"],
    "grade": ["grade", TRANSCRIPT, "--rubric", "impact_story", "--no-save"],
}


def time_command(env: dict[str, str], argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mockint", *argv], capture_output=True, check=True, env=env)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=9, help="runs per figure")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "MOCKINT_HOME": home}
        for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "MOCKINT_BACKEND"):
            env.pop(var, None)
        time_to_ready(env)  # warm the file cache and bytecode
        ready = [time_to_ready(env) for _ in range(args.n)]
        helps = [time_help(env) for _ in range(args.n * 2)]
        light = {name: statistics.median(time_command(env, argv) for _ in range(args.n)) for name, argv in LIGHT.items()}
    result = {
        "bench": "startup",
        "runs": args.n,
        "ready_s_median": round(statistics.median(ready), 3),
        "ready_s_max": round(max(ready), 3),
        "help_s_median": round(statistics.median(helps), 3),
        "help_s_max": round(max(helps), 3),
        **{f"{name}_s_median": round(value, 3) for name, value in light.items()},
        "python": platform.python_version(),
        "machine": platform.machine(),
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    print(json.dumps(result, indent=2))
    met = result["ready_s_median"] < 0.8 and result["help_s_median"] < 0.15
    print(f"targets (ready < 0.8 s, --help < 0.15 s): {'met' if met else 'MISSED'}", file=sys.stderr)
    record(result, keep=not args.no_record, show=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
