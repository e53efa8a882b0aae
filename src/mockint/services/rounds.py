"""Starting and resuming a round, for `practice --plain` and the app alike: which interviewer (backend) a round
gets, and the session that drives it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mockint.errors import MockintError
from mockint.interview.base import Reply
from mockint.interview.session import RoundSession
from mockint.settings import Backend, GraderKind, Mode, Settings


def choose_backend(requested: Backend | str | None, settings: Settings) -> Backend:
    """The backend asked for, else the configured one; a model backend needs an endpoint to talk to."""
    backend = Backend(requested) if requested else settings.backend
    if backend == Backend.OPENAI and not settings.endpoint_configured:
        raise MockintError("--backend openai needs OPENAI_API_KEY or OPENAI_BASE_URL (see 'mockint config')")
    return backend


@dataclass(frozen=True)
class PracticeRequest:
    """What a front end asks for: `mockint practice`, the home screen, or a loop's next round."""

    round_id: str
    track: str | None = None
    company: str | None = "pinterest"
    mode: Mode | str = Mode.REALISTIC
    seed: int | None = None
    out: Path | None = None
    resume: Path | None = None
    backend: Backend | str = Backend.OFFLINE
    minutes: int | None = None  # a loop's own length for this round
    drill: str | None = None  # a drill: the one criterion it practises (services.drills)


@dataclass
class OpenedRound:
    """A round ready to go on. `pending` is the question waiting for an answer (resumed), or None when the
    interviewer speaks next; `fresh` says the opening question is still to be asked."""

    session: RoundSession
    pending: Reply | None
    fresh: bool


def resume_round(path: Path, settings: Settings, *, seed: int | None = None) -> OpenedRound:
    """Reopen a cut-off round: a model round goes on with the model when `settings.backend` is the model, else with
    the scripted interviewer. `pending` None means the interviewer speaks next (`retry_async`). A drill resumes as a drill."""
    from mockint.services.drills import drill_of, resume_drill

    if drill_of(path):
        return resume_drill(path, settings, seed=seed)
    session, pending = RoundSession.resume(path, seed=seed, settings=settings)
    return OpenedRound(session, pending, fresh=False)


def open_round(request: PracticeRequest, settings: Settings) -> OpenedRound:
    """Create the round the request asks for, or reopen the one it resumes (a model round resumes with the model
    when the request's backend is one). Nothing is asked yet: the front end streams the first reply."""
    backend = choose_backend(request.backend, settings)
    round_settings = settings.with_backend(backend)
    if request.resume is not None:
        return resume_round(request.resume, round_settings, seed=request.seed)
    if request.drill is not None:
        from mockint.services.drills import open_drill

        return open_drill(request, round_settings)
    session = RoundSession.create(
        request.round_id,
        backend=backend,
        settings=round_settings,
        track=request.track,
        company=request.company,
        mode=request.mode,
        seed=request.seed,
        out=request.out,
        minutes=request.minutes,
    )
    return OpenedRound(session, None, fresh=True)


def grader_after(session: RoundSession, settings: Settings) -> GraderKind:
    """Which grader grades a finished round: the model for a model round (unless it failed mid-round: then do not
    wait on it again), offline otherwise."""
    model_round = session.transcript.meta.backend == Backend.OPENAI and settings.endpoint_configured
    return GraderKind.LLM if model_round and not session.fell_back else GraderKind.OFFLINE
