"""Does the answer answer, and does it decide? Non-answers ("I don't know", "can you repeat the
question?") earn nothing; deferring the decision ("it depends what discovery surfaces", "I wouldn't
commit to a number") earns nothing for the decision deferred. The interviewer reads the same moves."""

from __future__ import annotations

import re
from typing import Literal

from mockint.grading.obfuscation import plain

NonAnswer = Literal["dont_know", "repeat", "wait", "pass"]

_NON_ANSWER: dict[NonAnswer, re.Pattern[str]] = {
    "repeat": re.compile(
        r"\b(?:can|could|would) you (?:please |kindly )?(?:repeat|rephrase|restate|say (?:that|it) again|reword|clarify)\b"
        r"|\b(?:repeat|rephrase|restate) (?:the|that|your) question\b|\bwhat was the question\b|\bcome again\b"
        r"|\bsorry,? what\??$|\bi didn't (?:catch|get|understand) (?:that|the question)\b|\bwhat do you mean\b"
        r"|\bi'm not sure i (?:understand|follow) the question\b"
    ),
    "wait": re.compile(
        r"\b(?:can|could|may) i (?:take|have|get) (?:a|one) (?:minute|moment|second|sec|min)\b"
        r"|\b(?:give|let) me (?:a )?(?:minute|moment|second|sec) to think\b|\bgive me (?:a|one) (?:minute|moment|second|sec)\b"
        r"|\blet me think(?: about (?:it|that))?(?: for a (?:moment|second|minute))?[.!]*$"
    ),
    "dont_know": re.compile(
        r"\bi (?:honestly |really |genuinely |just |truly )?(?:don't|do not|dont) (?:really )?know\b|\bno idea\b"
        r"|\bi(?:'m| am) (?:honestly |really |just )?not sure\b|\bi have no (?:clue|idea)\b|\bi(?:'m| am) blanking\b"
        r"|\bnot (?:really )?familiar with\b|\bi can't (?:really )?(?:answer|say)\b|\bhaven't (?:really )?thought about\b"
        r"|\bno clue\b|\bbeats me\b"
    ),
    "pass": re.compile(r"^\W*(?:pass|skip|next(?: question)?|no comment|nothing(?: to add)?|n/a)\W*$"),
}
# A turn is a non-answer when, without its non-answer sentences, fewer words than this remain.
NON_ANSWER_LEFTOVER = 8
# ...so a turn longer than this is an answer (however bad) without looking sentence by sentence.
NON_ANSWER_MAX_WORDS = 60

DEFERRAL = re.compile(
    r"\b(?:it|that|this|the answer) (?:all |really |really just |totally |just |would |will )?depends?\b"
    r"|\bdepends (?:on|entirely on) what\b"
    r"|\bi (?:wouldn't|would not|won't|will not|don't want to|do not want to|'d rather not|would rather not|can't|cannot|"
    r"prefer not to|'d prefer not to|hesitate to)(?: want to| really| yet| even)? (?:commit|pick|choose|decide|guess|"
    r"put (?:a|any) (?:number|target|figure)|give (?:a|any) (?:number|target|figure)|name (?:a|one|any)|speculate|"
    r"prioriti[sz]e|lock (?:in|myself)|settle|single out|bet)\b"
    r"|\b(?:hate|don't want|do not want|wouldn't want|not want) to (?:bias|presuppose|prejudge|anchor|pre-?empt|constrain|limit)\b"
    r"|\blet (?:the )?(?:data|research|users|experiments?|discovery|results|numbers|evidence|process) (?:decide|tell|guide|"
    r"speak|drive|choose|pick|show)\b"
    r"|\b(?:too early|premature|hard|impossible|difficult|tough) to (?:say|tell|commit|decide|know|pick|choose|guess|put a number)\b"
    r"|\b(?:tbd|to be (?:determined|decided|defined)|figure (?:it|that|this) out later|decide (?:that )?later|we'll see|"
    r"we will see|keep (?:my|our|the) options open|not (?:commit|committing) (?:yet|now|to)|no need to commit)\b"
    r"|\b(?:any|all|each|either) of (?:these|those|them|the options) (?:could|might|would) (?:work|be (?:fine|good|valid|viable|options?|reasonable|right|great))\b"
    r"|\bwhatever (?:discovery|research|the data|the research|the numbers|users|the experiments?) (?:surfaces?|shows?|says?|"
    r"tells? us|suggests?|reveals?)\b"
    r"|\b(?:there's|there is) no (?:single |one |right )?(?:right |correct )?answer\b|\bno one-size-fits-all\b"
    r"|\b(?:the|a) (?:framework|process) (?:will|would) (?:tell|decide|surface|show)\b"
    r"|\b(?:rather|prefer to|like to|want to) keep (?:it|things|this|that|the \w+) (?:flexible|open|loose|fluid)\b"
    r"|\b(?:rather|sooner) \w+ (?:\w+ )?than commit\b|\b(?:don't|do not) (?:yet )?know what good looks like\b"
    r"|\b(?:the team|the teams|leadership|engineering|data science|they|someone|the data|the experts?) (?:would|will|can|could) "
    r"(?:make the call|decide|figure (?:it|that) out)\b|\bleave (?:it|that|the (?:call|decision|number)) (?:up )?to\b"
    r"|\bwait and see\b"
)


# A deferral word followed, in the same sentence, by the decision itself ("it depends on X, so I'd pick Y").
DECIDED = re.compile(
    r"\b(?:so|but|and|then)\b.{0,20}\bi(?:'d| would| will|'ll|'m going to| am going to)? (?:pick|go with|choose|start with|bet on|"
    r"build|ship|focus on|target|commit to|prioriti[sz]e)\b|\bmy (?:pick|bet|call|choice|recommendation) (?:is|would be)\b"
)


def non_answer(text: str) -> NonAnswer | None:
    """The kind of non-answer a whole turn is, or None when it answers (however badly)."""
    low = plain(text).strip()
    if not low:
        return "pass"
    if low.count(" ") >= NON_ANSWER_MAX_WORDS:
        return None
    kinds: list[NonAnswer] = []
    leftover = 0
    for piece in re.split(r"(?<=[.!?])\s+|\n+", low):
        kind = next((k for k, rx in _NON_ANSWER.items() if rx.search(piece.strip())), None)
        if kind is None:
            leftover += len(re.findall(r"[a-z0-9']+", piece))
        else:
            kinds.append(kind)
    if kinds and leftover < NON_ANSWER_LEFTOVER:
        for kind in ("repeat", "wait", "dont_know", "pass"):
            if kind in kinds:
                return kind  # type: ignore[return-value]
    return None


def may_defer(text: str) -> bool:
    """A cheap test on a whole paragraph: False means no sentence of it defers."""
    return bool(DEFERRAL.search(plain(text)))


def defers(sentence: str) -> bool:
    """True when the sentence puts off the decision it is about."""
    low = plain(sentence)
    found = DEFERRAL.search(low)
    return found is not None and not DECIDED.search(low, found.end())
