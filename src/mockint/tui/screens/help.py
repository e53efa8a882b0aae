"""F1 / ?: what each screen's keys do. The footer shows the keys that apply right now; this shows them all."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# mockint — keys

Every screen lists its keys in the footer. **ctrl+p** opens the command palette (new round,
transcripts, rubrics, history, light / dark theme, a screenshot into `MOCKINT_HOME/screenshots`).
**F1** or **?** shows this help; **ctrl+q** quits (a running round asks first, and stays resumable).
Home remembers the track, company, round, mode and backend you last started with.

## Home
| key | does |
|---|---|
| tab / shift+tab | move between the choices |
| ctrl+s | start the round you chose |
| enter (on a recent session) | resume it, or read it when it is finished |
| t / r / h | transcripts / rubrics / history |

## Interview
| key | does |
|---|---|
| enter | a new line in your answer |
| ctrl+s or ctrl+enter | send the answer |
| ctrl+r | end the round and see your grade |
| ctrl+t | coach mode: a hint on what your answers have not shown yet |
| escape | stop the interviewer's reply; when idle, leave the round (it stays resumable) |

Every turn is saved the moment it exists; the status line shows the question count and time left.

## Report
| key | does |
|---|---|
| up / down | choose a criterion: its evidence (turn numbers), rationale, what was missing, the rubric's probes |
| j | open the transcript at the criterion's evidence (again: the next quote) |
| e | export the report as Markdown next to the transcript |
| escape | back |

## Transcripts
| key | does |
|---|---|
| / | filter the list (enter opens the highlighted match) |
| enter | open a transcript |
| g | grade it with the rubric chosen above (grades compare side by side) |
| o | open the latest grade as a report |
| p | replay the round turn by turn |

## Loop (Round → "Whole loop" on the home screen)
| key | does |
|---|---|
| ctrl+s | start (or resume) the next round not yet finished |
| enter | start, resume or read the selected round |
| n | start the loop afresh (earlier rounds stay saved) |

The committee's recommendation, by the loop's rules, updates as each round is graded.

## Replay
| key | does |
|---|---|
| space / right | the next turn |
| left | back a turn |
| t | play on by itself at reading speed (again: pause); + / - change the speed |
| end | every turn |

## History
| key | does |
|---|---|
| f5 | read the grades again |

## Rubrics
| key | does |
|---|---|
| v | validate the selected rubric (errors show file:line) |
| e | edit in $EDITOR, then reload; a built-in asks first, then edits a copy in your folder that overrides it |
| n | new rubric from a template |
| f5 | reload |
"""


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q,question_mark", "close", "Close", tooltip="Close the help")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(HELP)

    def action_close(self) -> None:
        self.dismiss(None)
