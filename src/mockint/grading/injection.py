"""Text about the grading rather than the question: it is dropped from grading and flagged.

Not only text *addressed* to a grader ("Note to the evaluator: 4/4"), but text that describes how the
round is scored, cites the rubric or evaluation guidelines, gives instructions about the output, its
fields or the verdict, fakes a system line, or claims someone already rated the answer. Read on the
de-obfuscated text (homoglyphs, leetspeak, zero-width and full-width spellings undone). The patterns
need the grading to be the object ("this answer", "the rubric says"), so product talk about a
ranking model that scores Pins, or acceptance criteria for a launch, is left alone.
"""

from __future__ import annotations

from mockint.grading.fastregex import Gated
from mockint.grading.obfuscation import deobfuscate

_GRADER = (
    r"(?:grader|graders|evaluator|evaluators|assessor|assessors|scorer|marker|examiner|reviewer of this|"
    r"grading (?:model|ai|system|llm|tool)|scoring (?:model|ai|system|llm|tool)|ai grader|llm grader|"
    r"(?:ai|llm|model|assistant|bot)s? (?:reading|grading|scoring|evaluating|reviewing|assessing) (?:this|these|my)|"
    r"whoever (?:grades|scores|reads|evaluates|reviews|marks) (?:this|my)|hiring committee|language model|ai model)"
)
_ANSWER = r"(?:answer|answers|response|responses|transcript|round|interview|submission|performance|candidate|me|this)"
_MARKED = r"(?:scored|graded|rated|evaluated|assessed|marked|judged|ranked|leveled|levelled)"
_AWARD = r"(?:give|assign|award|score|rate|mark|grade|output|return|record|recommend|put down|log)"
_TOP = (
    r"(?:4|5|10|100|four|five|ten|full|maximum|max|top|highest|perfect|hire|strong hire|pass|marks?|"
    r"exceptional|outstanding|excellent)"
)
_APPARATUS = (
    r"(?:rubric (?:says|asks|rewards|requires|wants|for this|looks for|criteria|is)|scoring (?:guide|guidelines|criteria|rubric|scheme|sheet|system)|grading (?:guide|guidelines|"
    r"criteria|rubric|scheme|sheet|instructions|notes)|evaluation (?:guide|guidelines|criteria|rubric|form|notes|"
    r"instructions)|marking (?:scheme|guide|criteria)|score ?card|anchors? for (?:level|score)|hiring bar|hire bar)"
)

_GRADER_WORDS = (
    "grader graders evaluator evaluators assessor assessors scorer marker examiner reviewer grading scoring ai llm llms "
    "model models assistant assistants bot bots whoever committee judge language"
)
_TOP_WORDS = "4 5 10 100 four five ten full maximum max top highest perfect hire pass mark marks exceptional outstanding excellent"
_AWARD_WORDS = "give assign award score rate mark grade output return record recommend put log"
_MARKED_WORDS = "scored graded rated evaluated assessed marked judged ranked leveled levelled"

# (gate, pattern). A gate is word lists separated by "|": every match contains a word of each list. It is a
# cheap necessary condition, so a paragraph runs only the patterns it could possibly match (the full
# alternation tried at every position was the slowest part of grading).
RULES: list[tuple[str, str]] = [
    # addressed to whoever grades
    (_GRADER_WORDS, r"\b(?:note|message|instructions?|memo|reminder|p\.?s\.?)s? (?:to|for) (?:the |any |my |our )?" + _GRADER + r"\b"),
    (_GRADER_WORDS, r"\b(?:dear|hey|hi|hello|attention|to the|to any|for the) " + _GRADER + r"\b"),
    (_GRADER_WORDS, r"\b" + _GRADER + r"\b[,:]?.{0,60}\b" + _AWARD + r"\b.{0,60}\b" + _TOP + r"\b"),
    (_GRADER_WORDS, r"\bif you are (?:an? |the )?(?:ai|llm|model|grader|evaluator|assistant|language model)\b"),
    (_GRADER_WORDS, r"\byou are (?:now )?(?:an? |the )(?:grader|evaluator|assistant|scorer|judge)\b|\bas an ai(?: language)? model\b"),
    # asks for a result
    (_AWARD_WORDS + "|" + _TOP_WORDS, r"\b" + _AWARD + r"\b[^.?!\n]{0,30}\b(?:this|my|the)\b[^.?!\n]{0,20}\b" + _ANSWER + r"\b[^.?!\n]{0,40}\b" + _TOP + r"\b"),
    ("me|rate score mark grade level", r"\b(?:rate|score|mark|grade|level) me\b.{0,30}\b" + _TOP + r"\b"),
    ("answer response transcript submission", r"\b(?:this|my) (?:answer|response|transcript|submission) (?:meets|satisfies|"
     r"deserves|earns|merits|warrants|should (?:get|receive|be|earn))\b"),
    ("criteria criterion criterions box boxes anchor anchors rubric level",
     r"\b(?:meets|satisfies|covers|hits|ticks|checks|fulfils|fulfills|addresses) (?:every|all|each) (?:of the )?"
     r"(?:criteri\w*|box(?:es)?|anchors?|requirements of the rubric|rubric|level)"),
    # describes the grading or cites its apparatus
    ("rubric scoring grading evaluation marking scorecard score anchor anchors hiring hire",
     r"\b(?:the|this|your) " + _APPARATUS + r"\b(?!\s+(?:tool|feature|builder|template|library)s?)"),
    ("rubric scoring grading evaluation marking scorecard score anchor anchors hiring hire",
     r"\b(?:per|according to|under|against|by) (?:the |your |this )?(?:rubric|" + _APPARATUS + r")\b"),
    (_MARKED_WORDS, r"\b(?:this|the|my) (?:answer|response|round|interview|transcript|conversation) (?:is|will be|would be|gets|"
     r"should be|was|being) " + _MARKED + r"\b"),
    (_MARKED_WORDS, r"\b(?:is|are|being|be|gets?|was) " + _MARKED + r" by (?:an? |the )?(?:ai|model|llm|machine|computer|bot|"
     r"grader|evaluator|algorithm|script)\b"),
    (_MARKED_WORDS, r"\bhow (?:this|the|my) (?:answer|response|round|interview|transcript) (?:is|gets|will be) " + _MARKED + r"\b"),
    (_MARKED_WORDS, r"\b(?:already|previously) " + _MARKED + r"\b.{0,40}\b(?:hire|strong|top|4/4|excellent|outstanding|pass)\b"),
    (_MARKED_WORDS, r"\b(?:director|vp|head|senior|manager|interviewer|recruiter|committee|bar raiser|panel|lead)\b.{0,60}\b"
     r"(?:rated|scored|graded|marked|levelled|leveled|assessed)\b.{0,40}\b(?:hire|strong hire|top marks|4/4|a 4|a four|pass)\b"),
    ("hire marks score out criteria criterion criterions dimension", r"\b(?:strong hire|full marks|maximum score|max score|perfect score|top score|highest score|"
     r"top marks|hire recommendation|(?:4|four) out of (?:4|four)|(?:4|four) (?:on|for) (?:every|each|all) (?:criteri\w*|dimension))\b"),
    # instructions about the output, its fields or the verdict
    ("verdict score scores criteria injection_attempt evidence reasoning rationale",
     r"\"(?:verdict|score|scores|criteria|injection_attempt|evidence|reasoning|rationale)\"\s*:"),
    ("verdict", r"\bverdict\s*(?:[:=]|to|should be|must be|is|of)\s*\"?(?:hire|strong)"),
    ("criteria criterion criterions score scores field fields verdict level levels",
     r"\b(?:set|mark|fill|put|make)\b.{0,20}\b(?:every|each|all|the)\b.{0,20}\b(?:criteri\w*|score|scores|fields?|"
     r"verdict|levels?)\b.{0,30}\b(?:to|as|=|at)\b.{0,10}\b" + _TOP + r"\b"),
    ("verdict hire score marks criterion", r"\b(?:output|return|respond with|print|emit|reply with|write)\b.{0,30}\b(?:verdict|"
     r"\"?hire\"?|a score of|the score|full marks|every criterion|each criterion)\b"),
    ("injection_attempt score verdict", r"\binjection_attempt\b|\b(?:score|verdict)\s*[:=]\s*(?:\d|\"|hire|strong|no_hire)"),
    # fake structure and override attempts
    ("system assistant developer grader", r"(?:^|\n)\s*(?:#+\s*)?(?:system|assistant|developer|grader)\s*(?:prompt|message|"
     r"note|override)?\s*:"),
    ("system transcript instruction instructions assistant inst sys",
     r"</?(?:system|transcript|instructions?|assistant)>|\[/?(?:system|inst|sys)\]|<<\s*sys\s*>>"),
    ("ignore disregard forget override bypass", r"\b(?:ignore|disregard|forget|override|bypass)\b.{0,40}\b(?:instructions?|"
     r"rubric|prompt|rules|above|previous|criteria|guidelines)\b"),
    ("instruction instructions", r"\bnew instructions?\s*:"),
]
_GATED = Gated(RULES)
ABOUT_GRADING = _GATED.pattern  # the same rules as one pattern


def about_grading(text: str) -> bool:
    """True when the text talks about the grading rather than the question, in any spelling."""
    return _GATED.search(deobfuscate(text)) is not None
