"""A grade and its transcript as one self-contained HTML page: inline CSS only, no scripts, no external assets,
readable in light and dark mode, every evidence quote linked to (and highlighted in) the turn it cites.

The transcript and the grade are untrusted input (a candidate can type `<script>`; a grade file can come from
anywhere), so every piece of text goes through `html.escape`, and a Content-Security-Policy forbids scripts
and remote loads as a second line of defence.
"""

from __future__ import annotations

from html import escape

from mockint import __version__
from mockint.domain.grade import CriterionGrade, Delivery, Grade
from mockint.domain.transcript import Transcript, Turn
from mockint.report.grade_text import delivery_lines

CSS = """
:root { color-scheme: light dark; --bg: #fdfdfc; --fg: #1d1f21; --muted: #5f6368; --line: #dadce0; --card: #f3f4f6;
  --accent: #b3261e; --hire: #1e7d32; --nohire: #b3261e; --bar: #3b6fd8; --mark: #fff1a8; --cand: #eef4ff; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #16181b; --fg: #e6e6e6; --muted: #a0a4a8; --line: #33373c; --card: #202328; --accent: #f28b82;
    --hire: #81c995; --nohire: #f28b82; --bar: #8ab4f8; --mark: #5c4d00; --cand: #1c2533; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 60rem; padding: 1.5rem; background: var(--bg); color: var(--fg);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
a { color: var(--bar); }
h1 { margin: 0 0 .25rem; font-size: 1.6rem; }
h2 { margin-top: 2rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
.meta, .muted { color: var(--muted); font-size: .9rem; }
.verdict { display: inline-block; padding: .1rem .6rem; border-radius: .4rem; color: var(--bg); }
.verdict.hire { background: var(--hire); } .verdict.no_hire { background: var(--nohire); }
.flag { display: inline-block; margin-right: .3rem; padding: 0 .4rem; border: 1px solid var(--accent);
  border-radius: .3rem; color: var(--accent); font-size: .85rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: middle; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.bar { display: inline-block; width: 8rem; height: .7rem; background: var(--line); border-radius: .35rem; overflow: hidden; }
.bar > span { display: block; height: 100%; background: var(--bar); }
.criterion { background: var(--card); border-radius: .5rem; padding: .75rem 1rem; margin: 1rem 0; }
.criterion h3 { margin: 0 0 .4rem; font-size: 1.1rem; }
q { font-style: italic; }
.turn { border-left: 3px solid var(--line); padding: .4rem .8rem; margin: .6rem 0; }
.turn.candidate { border-left-color: var(--bar); background: var(--cand); }
.turn:target { outline: 2px solid var(--accent); }
.coach { border-left: 3px dashed var(--accent); padding: .2rem .8rem; margin: -.3rem 0 .6rem 1rem; font-size: .9rem; }
.turn .who { font-weight: 600; font-size: .9rem; }
.turn .text { white-space: pre-wrap; overflow-wrap: anywhere; }
mark { background: var(--mark); color: inherit; padding: 0 .1rem; }
.delivery th { width: 10rem; font-weight: 600; }
footer { margin-top: 2rem; color: var(--muted); font-size: .8rem; }
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'"


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _score(c: CriterionGrade) -> str:
    return "unscored" if c.score is None else f"{c.score:g}/{c.max}"


def _bar(c: CriterionGrade) -> str:
    pct = 0.0 if c.score is None or not c.max else max(0.0, min(100.0, 100.0 * float(c.score) / c.max))
    return f'<span class="bar" role="img" aria-label="{_e(_score(c))}"><span style="width:{pct:.0f}%"></span></span>'


def _criteria_table(grade: Grade) -> list[str]:
    out = [
        "<table>",
        "<thead><tr><th>criterion</th><th>score</th><th></th><th>weight</th><th>evidence</th></tr></thead>",
        "<tbody>",
    ]
    for c in grade.criteria:
        must = ' <span class="muted">(must pass)</span>' if c.must_pass else ""
        out.append(
            f'<tr><td><a href="#crit-{_e(c.id)}">{_e(c.title or c.id)}</a>{must}</td><td class="num">{_e(_score(c))}</td>'
            f'<td>{_bar(c)}</td><td class="num">{c.weight:g}</td><td class="num">{len(c.evidence)}</td></tr>'
        )
    return [*out, "</tbody>", "</table>"]


def _criterion_detail(c: CriterionGrade, turns: set[int]) -> list[str]:
    out = [f'<article class="criterion" id="crit-{_e(c.id)}">', f"<h3>{_e(c.title or c.id)} — {_e(_score(c))}</h3>"]
    if c.spread is not None:
        out.append(f'<p class="muted">spread over samples: {c.spread:.2f}</p>')
    if c.rationale:
        out.append(f"<p>{_e(c.rationale)}</p>")
    if c.evidence:
        out.append("<h4>Evidence</h4><ul>")
        for ev in c.evidence:
            where = (
                f'<a href="#turn-{ev.turn}">turn {ev.turn}</a>'
                if ev.turn in turns
                else f"turn {ev.turn} (not in this transcript)"
            )
            out.append(f"<li>{where}: <q>{_e(ev.quote)}</q></li>")
        out.append("</ul>")
    if c.missing:
        out.append("<h4>Missing</h4><ul>" + "".join(f"<li>{_e(m)}</li>" for m in c.missing) + "</ul>")
    out.append("</article>")
    return out


def _delivery(d: Delivery) -> list[str]:
    """Pace, fillers and timing beside their usual ranges; the answers that ran long link to their turns."""
    rows = [f"<tr><th>{_e(label)}</th><td>{_e(text)}</td></tr>" for label, text in delivery_lines(d)]
    out = ['<h2 id="delivery">Delivery</h2>', '<table class="delivery">', "<tbody>", *rows, "</tbody>", "</table>"]
    if d.long_answers:
        links = ", ".join(f'<a href="#turn-{a.turn}">turn {a.turn}</a>' for a in d.long_answers)
        out.append(f'<p class="muted">Ran long: {links}</p>')
    return out


def _marked(text: str, quotes: list[str]) -> str:
    """The turn's text, escaped, with each quoted span wrapped in <mark> (overlapping spans merged)."""
    spans: list[tuple[int, int]] = []
    for quote in quotes:
        if not quote:
            continue
        start = text.find(quote)
        while start != -1:
            spans.append((start, start + len(quote)))
            start = text.find(quote, start + len(quote))
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, pos = [], 0
    for start, end in merged:
        out.append(_e(text[pos:start]) + "<mark>" + _e(text[start:end]) + "</mark>")
        pos = end
    out.append(_e(text[pos:]))
    return "".join(out)


def _turn(turn: Turn, grade: Grade, candidate_name: str | None) -> str:
    cited = [c for c in grade.criteria if any(ev.turn == turn.index for ev in c.evidence)]
    quotes = [ev.quote for c in cited for ev in c.evidence if ev.turn == turn.index]
    who = "Interviewer" if turn.speaker == "interviewer" else "Candidate"
    if turn.speaker == "candidate" and candidate_name:
        who += f" ({candidate_name})"
    extra = ' <span class="muted">(cut off)</span>' if turn.partial else ""
    links = ""
    if cited:
        links = (
            '<p class="muted">cited for: '
            + ", ".join(f'<a href="#crit-{_e(c.id)}">{_e(c.title or c.id)}</a>' for c in cited)
            + "</p>"
        )
    return (
        f'<article class="turn {_e(turn.speaker)}" id="turn-{turn.index}">'
        f'<div class="who"><a href="#turn-{turn.index}">[{turn.index}]</a> {_e(who)}{extra}</div>'
        f'<div class="text">{_marked(turn.text, quotes)}</div>{links}</article>'
    )


def grade_html(grade: Grade, transcript: Transcript) -> str:
    """The whole page. Evidence links (`#turn-N`) and turn anchors (`id="turn-N"`) share turn numbers."""
    meta = transcript.meta
    verdict = "Hire" if grade.verdict == "hire" else "No hire"
    title = f"{verdict} · {grade.score:.0f}/100 · {grade.rubric} · {meta.id}"
    facts = [
        f"rubric {grade.rubric} v{grade.rubric_version} (sha {grade.rubric_sha256[:8]})",
        f"grader {grade.grader}",
        f"graded {grade.graded_at:%Y-%m-%d %H:%M}" if grade.graded_at else None,
        f"round {meta.round}" if meta.round else None,
        f"started {meta.started:%Y-%m-%d %H:%M}" if meta.started else None,
        f"transcript {grade.transcript}",
    ]
    turns = {t.index for t in transcript.turns}
    body = [
        "<header>",
        f'<h1><span class="verdict {_e(grade.verdict)}">{verdict}</span> {grade.score:.0f}/100</h1>',
        f'<p class="meta">{" · ".join(_e(f) for f in facts if f)}</p>',
    ]
    if grade.flags:
        body.append("<p>" + "".join(f'<span class="flag">{_e(f)}</span>' for f in grade.flags) + "</p>")
    body.append("</header>")
    if grade.verdict_reasons:
        body += ["<h2>Why not a hire</h2>", "<ul>", *(f"<li>{_e(r)}</li>" for r in grade.verdict_reasons), "</ul>"]
    if grade.findings:
        body += ["<h2>What earned nothing</h2>", "<ul>"]
        body += [f'<li><a href="#turn-{f.turn}">turn {f.turn}</a>: {_e(f.note)}</li>' for f in grade.findings]
        body += ["</ul>"]
    body += ["<h2>Criteria</h2>", *_criteria_table(grade)]
    for c in grade.criteria:
        body += _criterion_detail(c, turns)
    if grade.delivery is not None:
        body += _delivery(grade.delivery)
    if grade.practise_next:
        body += ["<h2>Practise next</h2>", "<ol>", *(f"<li>{_e(p)}</li>" for p in grade.practise_next), "</ol>"]
    body += [f'<h2>Transcript <span class="muted">({len(transcript.turns)} turns)</span></h2>']
    for t in transcript.turns:
        body.append(_turn(t, grade, meta.candidate_name))
        body += [f'<aside class="coach">Coach: {_e(n.text)}</aside>' for n in transcript.notes if n.turn == t.index]
    body.append(f"<footer>mockint {_e(__version__)}</footer>")
    head = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light dark">',
        f"<title>{_e(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
    ]
    return "\n".join([*head, *body, "</body>", "</html>"]) + "\n"
