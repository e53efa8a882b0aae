"""The `mockint` command: parse arguments, call the layer below, print. Heavy imports happen late,
inside each command, so `mockint --help` stays fast and never loads textual or openai."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from mockint import __version__

ROUND_IDS = ("product_sense", "system_design", "impact_story", "technical_explainer", "program_execution")
TRACK_IDS = ("pm", "technical_pm", "tpm", "ai_pm")
EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are the contract's single line on stderr."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"mockint: error: {message} (see '{self.prog} --help')\n")
        raise SystemExit(EXIT_USAGE)


def _fail(message: str) -> int:
    sys.stderr.write(f"mockint: error: {message}\n")
    return EXIT_USAGE


# ---------------------------------------------------------------- rubric


def _rubric_check(args: argparse.Namespace) -> int:
    from mockint import rubrics
    from mockint.errors import MockintError

    known = not args.paths  # rubrics found by id must also be named after their id, as lookup requires
    paths = [Path(p) for p in args.paths] or rubrics.all_paths()
    if not paths:
        return _fail("no rubrics found")
    bad = 0
    for path in paths:
        problems = rubrics.check_file(path, str(path))
        if not problems and known:
            try:
                rubrics.resolve(path.stem)
            except MockintError as exc:
                problems = [str(exc)]
        if problems:
            bad += 1
            for line in problems[:20]:
                sys.stderr.write(f"mockint: error: {line}\n")
        elif not args.quiet:
            print(f"ok  {path}")
    if bad:
        sys.stderr.write(f"mockint: {bad} of {len(paths)} rubric file(s) failed\n")
        return EXIT_USAGE
    return EXIT_OK


def _rubric_list(args: argparse.Namespace) -> int:
    from mockint import rubrics

    rows = rubrics.list_all()
    if args.format == "json":
        import json

        for row in rows:
            if isinstance(row, tuple):
                print(json.dumps({"path": str(row[0]), "error": row[1]}))
            else:
                r = row.rubric
                print(
                    json.dumps(
                        {
                            "id": r.id,
                            "version": r.version,
                            "title": r.title,
                            "round": r.round,
                            "criteria": len(r.criteria),
                            "builtin": row.builtin,
                            "path": str(row.path),
                            "sha256": row.sha256,
                        }
                    )
                )
        return EXIT_OK
    print(f"{'id':<22} {'ver':>4} {'crit':>4}  {'source':<8} title")
    for row in rows:
        if isinstance(row, tuple):
            print(f"{row[0].stem:<22} {'-':>4} {'-':>4}  {'broken':<8} {row[1]}")
        else:
            r = row.rubric
            print(f"{r.id:<22} {r.version!s:>4} {len(r.criteria):>4}  {'built-in' if row.builtin else 'user':<8} {r.title}")
    return EXIT_OK


def _rubric_schema(_args: argparse.Namespace) -> int:
    from mockint import rubrics

    print(rubrics.json_schema())
    return EXIT_OK


# ---------------------------------------------------------------- transcript


def _transcript_import(args: argparse.Namespace) -> int:
    from mockint import config
    from mockint.transcripts.loading import load_any, stamp_import
    from mockint.transcripts.store import SUFFIX, safe_id, serialise, write_atomic

    fmt = None if args.format == "auto" else args.format
    transcript = stamp_import(load_any(args.file, fmt, candidate=args.candidate))
    ident = safe_id(transcript.meta.id)  # the id is untrusted input: never a path
    transcript.meta = transcript.meta.model_copy(update={"id": ident})
    out = Path(args.output) if args.output else config.transcripts_dir() / f"{ident}{SUFFIX}"
    if out.is_dir():
        return _fail(f"{out}: is a folder; -o takes the transcript file to write")
    if out.exists() and not args.force:
        return _fail(f"{out}: already exists (use --force to replace it)")
    write_atomic(out, serialise(transcript))
    n_cand = len(transcript.candidate_turns())
    print(f"imported {len(transcript.turns)} turns ({n_cand} from the candidate) -> {out}")
    return EXIT_OK


def _transcript_show(args: argparse.Namespace) -> int:
    from mockint.report.transcript_text import render_transcript
    from mockint.transcripts.loading import load_any

    fmt = None if args.format == "auto" else args.format
    transcript = load_any(args.file, fmt, candidate=args.candidate, require_candidate=False)
    width = min(os.get_terminal_size(sys.stdout.fileno()).columns if sys.stdout.isatty() else 100, 120)
    sys.stdout.write(render_transcript(transcript, width=width))
    return EXIT_OK


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="mockint",
        description="Practise product-manager interviews in the terminal: live mock rounds, "
        "evidence-based grading, your own rubrics. Run with no command to open the app.",
        epilog="Environment: OPENAI_API_KEY, OPENAI_BASE_URL, MOCKINT_MODEL, MOCKINT_BACKEND, MOCKINT_HOME.",
    )
    parser.add_argument("--version", action="version", version=f"mockint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("practice", help="run one live mock round (TUI, or --plain on stdin/stdout)")
    p.add_argument("--round", required=True, choices=ROUND_IDS, metavar="ROUND", help=", ".join(ROUND_IDS))
    p.add_argument("--track", choices=TRACK_IDS, metavar="TRACK", help=", ".join(TRACK_IDS))
    p.add_argument("--backend", choices=("offline", "openai"), help="interviewer backend (default: from env)")
    p.add_argument("--plain", action="store_true", help="no TUI: questions on stdout, answers from stdin")
    p.add_argument("--out", metavar="FILE", help="where to save the transcript")
    p.add_argument("--mode", choices=("realistic", "coach"), default="realistic")
    p.add_argument("--company", default="pinterest", help="company profile: pinterest or generic")
    p.add_argument("--seed", type=int, help="seed for the question choice")
    p.add_argument("--resume", metavar="FILE", help="resume a round that was cut off")
    p.set_defaults(func=_dispatch("mockint.commands.practice"))

    g = sub.add_parser("grade", help="grade transcripts against a rubric")
    g.add_argument("paths", nargs="+", metavar="PATH")
    g.add_argument(
        "--rubric", metavar="ID", help="rubric id or path to a YAML rubric (default: a native transcript's own round's rubric)"
    )
    g.add_argument("--grader", choices=("offline", "llm"), help="default: llm when a backend is configured")
    g.add_argument("--samples", type=int, default=1, metavar="N")
    g.add_argument("--format", choices=("json", "markdown", "table"), default="table")
    g.add_argument("--candidate", metavar="NAME", help="who the candidate is, when speakers are named (VTT, text, Markdown)")
    g.add_argument("--no-save", action="store_true", help="do not keep the grade beside the transcript")
    g.set_defaults(func=_dispatch("mockint.commands.grade"))

    r = sub.add_parser("regrade", help="batch re-grade a folder or files, with progress; resumable")
    r.add_argument("paths", nargs="+", metavar="DIR|PATH")
    r.add_argument("--rubric", required=True, metavar="ID")
    r.add_argument("--grader", choices=("offline", "llm"), help="default: llm when a backend is configured")
    r.add_argument("--concurrency", type=int, default=4, metavar="N", help="parallel model calls (LLM grader)")
    r.add_argument("--samples", type=int, default=1, metavar="N")
    r.add_argument("--force", action="store_true", help="grade again even when an identical grade is kept")
    r.add_argument("--dry-run", action="store_true", help="say how many calls, tokens and dollars it would take")
    r.add_argument("--batch-api", action="store_true", help="submit through the OpenAI Batch API (large cohorts)")
    r.add_argument("--poll-interval", type=float, default=30.0, metavar="S", help="seconds between batch polls")
    r.set_defaults(func=_dispatch("mockint.commands.regrade"))

    rub = sub.add_parser("rubric", help="validate, list, export the schema of, or test rubrics")
    rsub = rub.add_subparsers(dest="rubric_command", metavar="ACTION", parser_class=_Parser, required=True)
    rc = rsub.add_parser("check", help="validate rubric files (default: all known rubrics)")
    rc.add_argument("paths", nargs="*", metavar="PATH")
    rc.add_argument("-q", "--quiet", action="store_true")
    rc.set_defaults(func=_rubric_check)
    rl = rsub.add_parser("list", help="list built-in and user rubrics")
    rl.add_argument("--format", choices=("table", "json"), default="table")
    rl.set_defaults(func=_rubric_list)
    rsub.add_parser("schema", help="print the JSON Schema of rubric files").set_defaults(func=_rubric_schema)
    rt = rsub.add_parser("test", help="grade each rubric's own good and bad examples")
    rt.add_argument("ids", nargs="*", metavar="ID")
    rt.set_defaults(func=_dispatch("mockint.commands.rubric_test"))

    t = sub.add_parser("transcript", help="import external transcripts or print one")
    tsub = t.add_subparsers(dest="transcript_command", metavar="ACTION", parser_class=_Parser, required=True)
    ti = tsub.add_parser("import", help="import a text, Markdown or WebVTT transcript")
    ti.add_argument("file", metavar="FILE")
    ti.add_argument("--format", choices=("auto", "text", "markdown", "vtt"), default="auto")
    ti.add_argument(
        "--candidate", metavar="NAME", help="who the candidate is, when speakers are named (VTT default: who talks most)"
    )
    ti.add_argument("-o", "--output", metavar="OUT", help="output file (default: the transcript store)")
    ti.add_argument("--force", action="store_true", help="replace OUT if it exists")
    ti.set_defaults(func=_transcript_import)
    ts = tsub.add_parser("show", help="print a transcript with turn numbers")
    ts.add_argument("file", metavar="FILE")
    ts.add_argument("--format", choices=("auto", "native", "text", "markdown", "vtt"), default="auto")
    ts.add_argument("--candidate", metavar="NAME")
    ts.set_defaults(func=_transcript_show)

    c = sub.add_parser("calibrate", help="agreement of a grader with human-labelled transcripts")
    c.add_argument("dir", metavar="DIR")
    c.add_argument("--rubric", required=True, metavar="ID")
    c.add_argument("--grader", choices=("offline", "llm"), default="offline")
    c.add_argument("--format", choices=("table", "json"), default="table")
    c.add_argument(
        "--labels", metavar="human[:NAME]", help="use kept human grades (of NAME, or anyone) as the labels instead of labels.yaml"
    )
    c.set_defaults(func=_dispatch("mockint.commands.calibrate"))

    sc = sub.add_parser("score", help="score a transcript yourself (or as a coach), kept as a human:NAME grade")
    sc.add_argument("transcript", metavar="TRANSCRIPT")
    sc.add_argument("--rubric", metavar="ID", help="rubric id or path (default: the transcript's own round's rubric)")
    sc.add_argument("--as", dest="as_name", required=True, metavar="NAME", help="who is scoring (me or self: a self-assessment)")
    sc.add_argument("--scores", metavar="ID=N,...", help="every criterion's level; without it, asks on the terminal")
    sc.add_argument("--note", metavar="TEXT", help="a note kept with the grade")
    sc.add_argument("--format", choices=("table", "json"), default="table")
    sc.set_defaults(func=_dispatch("mockint.commands.score"))

    dr = sub.add_parser("drill", help="a short round aimed at one criterion (default: your weakest)")
    dr.add_argument("--criterion", metavar="ID", help="the criterion to drill (default: the weakest in your history)")
    dr.add_argument("--round", choices=(*ROUND_IDS, "executive"), metavar="ROUND", help="the round whose questions to use")
    dr.add_argument("--plain", action="store_true", help="no TUI: questions on stdout, answers from stdin")
    dr.add_argument("--company", default="pinterest", help="company profile: pinterest or generic")
    dr.add_argument("--seed", type=int, help="seed for the question choice")
    dr.set_defaults(func=_dispatch("mockint.commands.drill"))

    d = sub.add_parser("diff", help="compare two grades of one transcript, or how a rubric or grader change moved a folder")
    d.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="GRADE_A GRADE_B, or a transcript or folder whose kept grades to compare",
    )
    d.add_argument("--rubric", metavar="ID", help="compare grades of this rubric (default: each transcript's newest grade's)")
    d.add_argument("--format", choices=("table", "json", "markdown"), default="table")
    d.set_defaults(func=_dispatch("mockint.commands.diff"))
    rp = sub.add_parser("report", help="render a transcript and its latest grade (Markdown, or one self-contained HTML file)")
    rp.add_argument("path", metavar="PATH", nargs="?", help="a transcript (default: your latest session)")
    rp.add_argument("--format", choices=("markdown", "html"), default="markdown")
    rp.add_argument("-o", "--output", metavar="OUT", help="write to OUT (atomically) instead of stdout")
    rp.add_argument(
        "--rubric",
        metavar="ID",
        help="report this rubric's grade (default: the transcript's own; graded offline and kept if none)",
    )
    rp.set_defaults(func=_dispatch("mockint.commands.report"))
    h = sub.add_parser("history", help="progress over time per criterion and round")
    h.add_argument("--rubric", metavar="ID", help="only grades of this rubric")
    h.add_argument("--round", metavar="ROUND", help="only sessions of this round")
    h.add_argument("--format", choices=("table", "json"), default="table")
    h.set_defaults(func=_dispatch("mockint.commands.history"))
    cm = sub.add_parser("committee", help="the committee's decision across the rounds of a loop")
    cm.add_argument(
        "paths", nargs="*", metavar="PATH", help="transcripts or folders (default: your latest loop run, else saved sessions)"
    )
    cm.add_argument("--loop", default="pinterest_ai_pm")
    cm.add_argument("--map", action="append", default=[], metavar="ROUND=PATH", help="use PATH for loop round ROUND (repeatable)")
    cm.add_argument("--format", choices=("table", "json"), default="table")
    cm.set_defaults(func=_dispatch("mockint.commands.committee"))
    cf = sub.add_parser("config", help="print the effective settings and where each came from")
    cf.add_argument("--format", choices=("table", "json"), default="table")
    cf.set_defaults(func=_dispatch("mockint.commands.config_cmd"))
    return parser


def _dispatch(module: str, attr: str = "run") -> Callable[[argparse.Namespace], int]:
    """Run `module.attr(args)`, importing the module only when the command is used (so `--help` stays fast). A
    module that fails to import is a packaging error and surfaces as one (a traceback), never as a usage message."""

    def handler(args: argparse.Namespace) -> int:
        import importlib

        return int(getattr(importlib.import_module(module), attr)(args))

    return handler


def _open_app(args: argparse.Namespace) -> int:
    return _dispatch("mockint.tui.launch")(args)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None) or _open_app
    from mockint.errors import MockintError

    try:
        return func(args)
    except MockintError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        sys.stderr.write("mockint: interrupted\n")
        return 130
    except BrokenPipeError:  # a closed output pipe (`| head`) ends the command quietly; before OSError, its base
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:  # the file system said no (a folder where a file was expected, /proc, a full disk)
        where = f"{exc.filename}: " if exc.filename else ""
        return _fail(f"{where}{exc.strerror or exc}".replace("\n", " "))
