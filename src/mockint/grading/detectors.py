"""Substance detectors: a signal counts only when the sentence carries the specifics, not the buzzword.

Each detector looks at one sentence (the plan detector also at its neighbours, because steps span
sentences). They are deliberately conjunctive: a metric needs a measurable AND a number, direction
or target AND a time frame; a user needs a person or segment AND a situation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from mockint.grading import fastregex as fast
from mockint.grading.obfuscation import plain


def _words(alternation: str) -> re.Pattern[str]:
    """A whole-word list, grouped by first letter for speed (see fastregex)."""
    return re.compile(fast.words(alternation))


def _rx(pattern: str) -> re.Pattern[str]:
    """Patterns run on lower-cased text: IGNORECASE makes Python's re several times slower on misses."""
    return re.compile(pattern)


NUMWORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"eighteen|twenty|thirty|forty|fifty|sixty|ninety|hundred|a few|a couple of|several|a dozen|dozens of)"
)
MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
NUMBER = _rx(
    r"(?<![\w.])\$?\d+(?:[.,]\d+)?(?:\s*(?:%|percent|pp|x|k|m|bn))?(?!\w)|\b(?:two|three|four|five|six|seven|eight|"
    r"nine|ten|twelve|twenty|thirty|fifty|hundred|thousand|million|billion|half|double|triple)\b"
)
TIMEFRAME = _rx(
    r"\b(?:in|within|over|after|by|per|each|every|for|during|across|inside)\s+(?:the\s+)?(?:first\s+|next\s+|last\s+|"
    r"past\s+|following\s+)?(?:\d+|a|one|two|three|four|five|six|eight|nine|ten|twelve)?\s*(?:-?\s*)?(?:days?|weeks?|months?|"
    r"quarters?|years?|sprints?|halves|half)\b|\bq[1-4]\b|\bh[12]\b|\b(?:weekly|monthly|quarterly|daily|annually|yearly|"
    r"week-over-week|month-over-month|year-over-year|wow|mom|yoy)\b|\bby (?:launch|the end|end of|year-end|ga|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*)\b|\b\d+\s*(?:-|to)?\s*\d*\s*(?:days?|weeks?|months?|"
    r"quarters?|years?)\b|\b(?:day|week|month|sprint) \d+\b|\bthirty days|\bninety days"
    r"|\b" + NUMWORD + r"[ -](?:days?|weeks?|months?|quarters?|years?|sprints?)\b"
    r"|\b" + MONTH + r" \d{1,2}(?:st|nd|rd|th)?\b|\b\d{1,2}(?:st|nd|rd|th)? (?:of )?" + MONTH + r"(?!\w)"
    r"|\b(?:at|by|before|since|from) (?:the )?(?:kickoff|kick-off|launch|ga|code freeze|freeze|cutover|go-live)\b"
    r"|\b(?:ahead of schedule|on schedule|behind schedule|a (?:day|week|month) (?:early|late|ahead|behind))\b"
    r"|\b(?:first|second|third|final|last|opening) (?:days?|weeks?|months?|quarters?|sprints?|fortnight)\b|\bfortnight(?:ly)?\b"
    r"|\b(?:over|during|through|across|by|before|after|in|for) (?:the )?(?:" + MONTH + r"|holiday|christmas|halloween|"
    r"summer|winter|spring|autumn|fall|back-to-school|festive|diwali|peak) (?:season|period|peak|rush|window|sale)s?\b"
    r"|\b(?:end|start|middle) of (?:the )?(?:" + MONTH + r"|month|quarter|year|season|term|sprint|half|q[1-4])\b"
)
# Every TIMEFRAME match holds a digit, one of these words or the start of a month's name: a cheap test that
# spares most sentences the full pattern, which is among the slowest the grader runs.
_TIME_WORDS = (
    "day|days|week|weeks|month|months|quarter|quarters|year|years|sprint|sprints|halves|half|weekly|monthly|quarterly|"
    "daily|annually|yearly|wow|mom|yoy|launch|end|ga|kickoff|kick|freeze|cutover|live|schedule|early|late|ahead|"
    "behind|fortnight|fortnightly|season|seasons|period|periods|peak|peaks|rush|rushes|window|windows|sale|sales|"
    "start|middle|thirty|ninety|q1|q2|q3|q4|h1|h2"
)
_TIME_GATE = re.compile(r"\d|" + fast.words(_TIME_WORDS) + r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)")


@lru_cache(maxsize=4096)
def has_timeframe(s: str) -> bool:
    """TIMEFRAME.search(s), with the cheap necessary condition tried first (s lower-cased). Cached: the metric,
    timeline and specifics checks all ask about the same sentences."""
    return _TIME_GATE.search(s) is not None and TIMEFRAME.search(s) is not None


@lru_cache(maxsize=4096)
def has_number(s: str) -> bool:
    """NUMBER.search(s), cached like has_timeframe."""
    return NUMBER.search(s) is not None


@lru_cache(maxsize=4096)
def has_quantity(s: str) -> bool:
    """QUANTITY.search(s), cached like has_timeframe."""
    return QUANTITY.search(s) is not None


MEASURABLE_WORDS = (
    r"rate|rates|retention|retained|saves?|saved|repins?|clicks?|ctr|click-?through|conversions?|convert|revenue|gmv|"
    r"latency|engagement|sessions?|dau|mau|wau|churn|nps|csat|precision|recall|auc|accuracy|ndcg|mrr|time[- ]to[- ]\w+|"
    r"time spent|installs?|sign-?ups?|adoption|activation|bounce|load times?|p9[59]|throughput|errors?|uptime|costs?|"
    r"margins?|orders|purchases|checkouts?|watch time|dwell|visits?|return(?:ing)? users|completion|coverage|hide rate|"
    r"reports?|spend|roas|cpa|incidents|velocity|on-time|slippage|cycle time|lead time|boards? created|follows?|"
    r"outbound clicks|closeups?|impressions|queries|searches|success rate|share|shares|usage|users|pinners|creators|"
    r"lift|savings|tickets|defects|complaints|escalations|headcount|budget|deadline|milestones?|savers|actives?|"
    r"weekly active|monthly active|daily active|wau|repeat|bookings?|downloads?|subscriptions?|renewals?|refunds?|"
    r"mismatch(?:es)?|error rate|crash(?:es)?|crash rate|satisfaction|reach|signups|tries|uses|opens|taps|hides?|"
    r"complet\w+|abandon\w*|drop-?off|false (?:positives?|negatives?|declines?)|approvals?|declines?"
)
MEASURABLE = _words(MEASURABLE_WORDS)
DIRECTION_WORDS = (
    r"increas\w*|rais\w*|grow\w*|grew|lift\w*|boost\w*|improv\w*|reduc\w*|decreas\w*|cut\w*|drop\w*|"
    r"lower\w*|doubl\w*|halv\w*|up|down|from \S+ to \S+|moved?|rose|fell|gain\w*|declin\w*"
)
DIRECTION = _words(DIRECTION_WORDS)
TARGET_WORDS = r"target\w*|goal|at least|no more than|under|below|above|reach|hit|aim\w*|threshold|bar"
TARGET = _words(TARGET_WORDS)
PERSON_WORDS = (
    r"users?|people|persons?|pinners?|creators?|shoppers?|buyers?|sellers?|merchants?|advertisers?|parents?|moms?|"
    r"dads?|students?|teens?|travell?ers?|cooks?|renters?|homeowners?|owners?|brides?|grooms?|couples?|customers?|"
    r"members?|viewers?|readers?|designers?|developers?|engineers?|nurses?|teachers?|gardeners?|newcomers?|beginners?|"
    r"hobbyists?|planners?|collectors?|businesses|brands?|someone|segment|persona|cohort|families|kids|women|men|"
    r"professionals?|freelancers?|makers?|crafters?|decorators?|artists?|patients?|drivers?|riders?|guests?|hosts?|"
    r"employees?|managers?|analysts?|marketers?|operators?|agents?|sales reps?|retailers?|subscribers?|fans?|"
    r"gen z|millennials?|boomers?"
)
PERSON = _words(PERSON_WORDS)
SITUATION_WORDS = (
    r"who|whose|when|while|trying to|planning|looking for|new to|struggl\w+|need(?:s|ing)? to|want(?:s|ing)? to|"
    r"during|first-time|first time|for the first time|aged?|between|just moved|moving|expecting|preparing|getting ready|"
    r"stuck|stall\w*|abandon\w*|drop off|drops? off|churn\w*|returning|lapsed|on (?:their|a) (?:phone|commute|lunch)|"
    r"at (?:night|work|home)|on weekends|\d+\s*(?:-|to)\s*\d+"
)
SITUATION = _words(SITUATION_WORDS)
QUALIFIER = _rx(
    r"\b(?:first-time|new|lapsed|returning|busy|young|older|expecting|aspiring|small-business|budget-conscious|"
    r"power|casual|dormant|churned|international|rural|urban|non-english|time-starved|novice|beginner|"
    r"mid-size|enterprise|independent|emerging|\d+\s*-?\s*year-old|teenage|college|remote|working|hobby|home)\W+"
    r"(?:\w+\W+){0,2}$"
)
GENERIC_USER = _rx(r"\b(?:all|every|any|most|the) (?:users?|people|customers?)\b|\beveryone\b|\banyone\b")
SEQUENCE = _rx(
    r"\b(?:first|firstly|then|next|after that|afterwards|finally|second(?:ly)?|third(?:ly)?|phase (?:\d|one|two|three)|"
    r"stage (?:\d|one|two|three)|step (?:\d|one|two|three)|week \d+|month \d+|day \d+|milestone \d|mvp|pilot|beta|"
    r"ramp\w*|expand\w* to|roll\w* out to|dogfood\w*|internal(?:ly)?|holdout|\d+\s*%\s*(?:→|->|to|then)\s*\d+\s*%)\b|→|->"
)
CHECKPOINT_WORDS = (
    r"checkpoints?|gates?|gated|go/no-go|go-no-go|go or no-go|only if|only when|unless|acceptance criteri\w+|exit "
    r"criteri\w+|success criteri\w+|thresholds?|before (?:we |i )?(?:expand|ramp|move|go|widen)|roll ?back if|pause if|"
    r"proceed if|stop if|kill if|bar of|must (?:stay|hold|not)|no more than|at least|as long as|provided"
)
CHECKPOINT = _words(CHECKPOINT_WORDS)
OWNERSHIP = re.compile(
    r"\bI(?:'ve| have| had)?\s+(?:personally\s+|then\s+|also\s+|first\s+|quickly\s+|eventually\s+|finally\s+)?(?:led|decided|"
    r"built|wrote|ran|proposed|convinced|owned|drove|pushed|cut|designed|created|launched|shipped|negotiated|made|set|"
    r"defined|found|noticed|discovered|analy[sz]ed|rewrote|started|hired|escalated|aligned|brought|chose|picked|killed|"
    r"prioriti[sz]ed|partnered|pitched|presented|persuaded|framed|mapped|traced|redesigned|scoped|reframed|championed|"
    r"organi[sz]ed|interviewed|spoke|called|took|asked|insisted|argued|sketched|prototyped|coded|measured|tracked|"
    r"replaced|moved|dropped|removed|added|introduced|instituted|established|initiated|spearheaded|managed|coordinated|"
    r"facilitated|guided|mentored|unblocked|resolved|fixed|diagnosed|investigated|sat down|got|volunteered|negotiated|"
    r"recommended|wrote up|worked out|instrumented|ran the|owned the|was responsible|was accountable|was the)\b"
    r"|\b[Mm]y (?:role|job|decision|call|responsibility|proposal|recommendation|team)\b"
    r"|(?:^|\n|: )(?:[-*•]\s*|\d[.)]\s*)?(?:[Tt]hen |[Aa]lso |[Ss]o )?(?:[Ll]ed|[Dd]ecided|[Bb]uilt|[Ww]rote|[Rr]an|[Pp]roposed|"
    r"[Cc]onvinced|[Oo]wned|[Dd]rove|[Pp]ushed|[Cc]ut|[Dd]esigned|[Cc]reated|[Ll]aunched|[Ss]hipped|[Nn]egotiated|[Pp]icked|"
    r"[Cc]hose|[Ss]et up|[Tt]raced|[Ss]potted|[Ff]ound|[Nn]oticed|[Ee]scalated|[Pp]itched|[Pp]ut|[Gg]ot|[Mm]oved|[Rr]eplaced|"
    r"[Aa]ccepted|[Dd]ropped|[Kk]illed|[Rr]ewrote|[Mm]apped|[Ss]coped|[Ii]nterviewed|[Aa]nalys[e]?d|[Aa]naly[sz]ed|[Ss]plit)\b"
    r"|\bI(?:'ve| have| had)?\s+(?:\w+ly\s+)?(?!(?:liked|loved|wanted|hoped|believed|wished|guessed|needed|used|seemed|"
    r"assumed|supposed|tried|happened|expected|worried|wondered|enjoyed|joined|learned|learnt|realized|realised)\b)"
    r"(?:[a-z]+ed|laid|held|sat|sent|spent|met|kept|put|drew|bought|gave|told|wrote|rewrote|broke|spoke|chose|"
    r"took|made|ran|led|built|cut|set|got|went|saw|dug|caught|brought|won|began|split|drove|shut|sought|fought|"
    r"found|wound|stood|threw|hid|froze|rebuilt|rewound|oversaw|undertook)\b(?!\s+(?:to|that)\b)"
)
TRADEOFF_WORDS = (
    r"trade-?offs?|instead of|rather than|at the (?:cost|expense) of|give up|giving up|versus|vs\.?|downside|"
    r"in exchange|sacrific\w+|we(?:'d| would)? lose|i(?:'d| would)? lose|chose \w+(?: \w+)? over|over \w+ because|"
    r"deprioriti\w+|cut scope|descope\w*|de-scope\w*|not build|won't build|wouldn't build|defer\w*|punt\w*|out of scope|"
    r"leave out|leaving out|costs? us|the price is|balance between|tension between"
)
TRADEOFF = _words(TRADEOFF_WORDS)
REASON_WORDS = (
    r"because|so that|so|which means|since|given|meaning|otherwise|that way|as a result|in order to|to avoid|"
    r"to keep|to protect|reason|the reason"
)
REASON = _words(REASON_WORDS)
QUANTITY = _rx(
    r"(?<![\w.])\$\s?\d[\d,.]*\s*(?:k|m|bn|million|billion)?|(?<![\w.])\d+(?:[.,]\d+)?\s*(?:%|percent|pp|x\b|ms\b|"
    r"milliseconds|seconds|secs?|s\b|minutes|mins?|hours|hrs?|days?|weeks?|months?|quarters?|years?|users|people|pins|"
    r"sessions|k\b|m\b|million|billion|thousand|engineers|teams|requests|qps|rps|gb|tb|mb|points|bps|basis points|"
    r"countries|markets|languages|items|orders|creators|advertisers|merchants)"
    r"|\b" + NUMWORD + r"[ -](?:percent|milliseconds|seconds|minutes|hours|days?|weeks?|months?|quarters?|years?|users|"
    r"people|teams|engineers|services|vendors|markets|countries|milestones|options|sprints|releases|launches|dependencies|"
    r"pins|boards|creators|advertisers|merchants|squads|orgs|partners|stakeholders|incidents|regions|languages|"
    r"experiments|times|x)\b"
)
EXAMPLE_WORDS = (
    r"for example|for instance|e\.g\.|let's say|say you|say a|say an|say i|imagine|picture this|like when|"
    r"suppose|such as|take a|take the|concretely|a concrete case|here's how it plays out|"
    # a moment of use told step by step: "she taps it, drags the crop and gets a row of listings"
    r"(?:she|he|they|you) (?:taps?|opens?|scrolls?|swipes?|clicks?|drags?|types?|searches|lands? on|sees?|gets?|picks?)"
    r" (?:it|the|a|an|her|his|their|your|on|through|up|down)"
)
EXAMPLE = _words(EXAMPLE_WORDS)
ANALOGY_WORDS = (
    r"it's like|it is like|is like|are like|like a|like an|think of (?:it|this|them|an? \w+) as|similar to|"
    r"just as|just like|analogy|analogous|the same way|as if|kind of like|works like|acts like|much like|"
    r"think of (?:it|this|them) like|imagine (?:it|this) (?:as|like)|picture (?:it|this) as|a bit like|sort of like"
)
ANALOGY = _words(ANALOGY_WORDS)
RISK_WORDS = (
    r"risks?|risky|could fail|might fail|fail\w*|bias\w*|outages?|delays?|slip\w*|concerns?|regress\w*|breaks?|"
    r"leak\w*|abuse|spam|harm\w*|unfair\w*|downtime|bottlenecks?|blockers?|dependenc\w+|depends on|worst case|"
    r"goes wrong|go wrong|late|overload\w*|degrad\w+|misfire\w*|skew\w*|underrepresent\w*|over-?represent\w*|"
    r"cold[- ]start|privacy|security|vulnerab\w+"
)
RISK = _words(RISK_WORDS)
RESPONSE_WORDS = (
    r"mitigat\w+|fallbacks?|fall back|roll ?back|rollbacks?|guardrails?|monitor\w*|kill[- ]switch\w*|buffers?|"
    r"contingenc\w+|alert\w*|audit\w*|circuit[- ]breakers?|feature flags?|flagg?\w*|canary|backups?|plan b|escalat\w+|"
    r"dashboards?|throttl\w+|rate[- ]limit\w*|caps?|capped|red[- ]team\w*|holdouts?|pause\w*|revert\w*|retrain\w*|"
    r"reweight\w*|rebalanc\w+|re-?rank\w*|diversif\w+|thresholds?|review\w*|parallel|decoupl\w+|stub\w*|mock\w*|"
    r"spike\w*|prototyp\w+|early warning|weekly check|staffed|second vendor|backstop\w*"
)
RESPONSE = _words(RESPONSE_WORDS)
REFLECTION_WORDS = (
    r"learned|learnt|lessons?|in hindsight|looking back|differently|next time|mistakes?|i should have|"
    r"i'd have|i would have|if i did it again|if i were to do|i wish|underestimated|overestimated|"
    r"changed how i|taught me|now i always|since then i"
)
REFLECTION = _words(REFLECTION_WORDS)

Check = Callable[[str, str, str], bool]  # (sentence lower-cased, window lower-cased, sentence as written)


def _metric(s: str, _w: str, _o: str) -> bool:
    return bool(MEASURABLE.search(s) and (has_number(s) or DIRECTION.search(s) or TARGET.search(s)) and has_timeframe(s))


def _user(s: str, _w: str, _o: str) -> bool:
    """A person or segment with a situation attached: after it ("parents who ...") or before it ("lapsed pinners")."""
    text = GENERIC_USER.sub(" ", s)
    for match in PERSON.finditer(text):
        after = text[match.end() : match.end() + 60]
        before = text[max(0, match.start() - 40) : match.start()]
        if SITUATION.search(after) or QUALIFIER.search(before):
            return True
    return False


def _plan(s: str, window: str, _o: str) -> bool:
    return bool(SEQUENCE.search(s) and len(SEQUENCE.findall(window)) >= 2 and CHECKPOINT.search(window) and NUMBER.search(window))


def _ownership(_s: str, _w: str, original: str) -> bool:
    return bool(OWNERSHIP.search(original))


TRADEOFF_STATED = _rx(
    r"\btrade-?offs? (?:was|is|would be|here is|here was|we accepted|i accepted|being)\b|\btrade-?offs?:\s*\w"
    r"|\btrade-?offs? (?:i'd|i would|we'd|we would|i|we) (?:accept|make|take|made|took|accepted)\b"
    r"|\b(?:cost|downside|price|what we gave up|what i gave up|given up|we gave up|i gave up):\s*\S"
    r"|\b(?:chose|picked|prioriti[sz]ed|went with|preferred|took|favou?red)\b.{1,40}\bover\b"
    r"|\bin exchange for\b|\bthe cost (?:is|was|would be)\b"
    r"|\b(?:the|its) (?:cost|price|downside) (?:was|is|would be)\b|\bat the (?:cost|expense|price) of\b"
)


# Options weighed and one chosen ("Option two is more expensive ... so I choose the nightly update").
CHOICE_WORDS = (
    r"choose|chose|chosen|picked|went with|go with|opt for|opted for|settled on|option one|option two|option a|"
    r"option b|other option|second option|first option"
)
CHOICE = _words(CHOICE_WORDS)


def _tradeoff(s: str, window: str, _o: str) -> bool:
    """A choice with its cost: a trade-off word with a reason (here or in the next sentence), the cost stated,
    or one of the options chosen beside a comparison and a reason."""
    return bool(
        (TRADEOFF.search(s) and REASON.search(window))
        or TRADEOFF_STATED.search(s)
        or (CHOICE.search(s) and COMPARISON.search(window) and REASON.search(window))
    )


def _quantity(s: str, _w: str, _o: str) -> bool:
    return has_quantity(s)


def _timeline(s: str, _w: str, _o: str) -> bool:
    return has_timeframe(s)


def _example(s: str, _w: str, _o: str) -> bool:
    return bool(EXAMPLE.search(s)) and len(s.split()) >= 6


def _analogy(s: str, _w: str, _o: str) -> bool:
    return bool(ANALOGY.search(s)) and len(s.split()) >= 6


def _mitigation(s: str, window: str, _o: str) -> bool:
    """A response in this sentence to a risk named here or in the sentence next to it."""
    return bool(RESPONSE.search(s) and RISK.search(window))


def _reflection(s: str, _w: str, _o: str) -> bool:
    return bool(REFLECTION.search(s))


def _mechanism(s: str, _w: str, _o: str) -> bool:
    return bool(MECHANISM.search(s))


def _comparison(s: str, _w: str, _o: str) -> bool:
    return bool(COMPARISON.search(s))


# What the case-sensitive-compiled patterns expect (NFKC, no zero-width characters, lower case, straight
# apostrophes); one definition, shared with the reading. Used only for detection; quotes stay verbatim.
lower = plain


def detect(name: str, sentence: str, window: str | None = None) -> bool:
    """Run one detector on a sentence as written (and optionally its neighbours)."""
    low = lower(sentence)
    return DETECTORS[name](low, lower(window) if window is not None else low, sentence)


def lower_regex(pattern: str) -> str:
    """Lower-case a user's regex for matching lower-cased text, leaving escapes (\\S, \\W, \\D ...) alone."""
    out = []
    escaped = False
    for ch in pattern:
        out.append(ch if escaped else ch.lower())
        escaped = ch == "\\" and not escaped
    return "".join(out)


MECHANISM_WORDS = (
    r"if|when|whenever|unless|every|each time|instead|before|after|until|checks?|checked|stores?|stored|keeps?|sends?|"
    r"sent|returns?|looks? up|copies|copied|serves?|served|fetch\w*|asks?|answers?|passes|forwards?|routes?|splits?|"
    r"compress\w*|expires?|invalidat\w*|retries|queues?|writes?|reads?|loads?|downloads?|uploads?|renders?|matches|"
    r"ranks?|scores?|verif\w*|sign\w*|encrypts?|decrypts?|hands? (?:back|off|over)|goes to|comes back|travels?|hops?"
)
MECHANISM = _words(MECHANISM_WORDS)
COMPARISON_WORDS = (
    r"faster|slower|cheaper|costlier|more expensive|less expensive|fresher|staler|stale|higher|lower|bigger|smaller|"
    r"more|less|fewer|versus|vs\.?|compared (?:to|with)|than|but|whereas|while|at the cost of|in exchange for|"
    r"worse|better|heavier|lighter|simpler|harder|easier"
)
COMPARISON = _words(COMPARISON_WORDS)


# A sentence can only pass a detector if its gate matches: found in one scan of the whole text.
GATES: dict[str, re.Pattern[str]] = {
    "metric": MEASURABLE,
    "user": PERSON,
    "plan": SEQUENCE,
    "ownership": re.compile(r"\b(?:i|my)\b"),
    "tradeoff": re.compile(TRADEOFF.pattern + "|" + CHOICE.pattern),
    "quantity": QUANTITY,
    "timeline": TIMEFRAME,
    "example": EXAMPLE,
    "analogy": ANALOGY,
    "mitigation": RISK,
    "reflection": REFLECTION,
    "mechanism": MECHANISM,
    "comparison": COMPARISON,
}

# The word lists behind the gates, so the grader can prefilter sentences by literal prefixes.
GATE_WORDS: dict[str, str] = {
    "metric": MEASURABLE_WORDS,
    "user": PERSON_WORDS,
    "tradeoff": TRADEOFF_WORDS + "|" + CHOICE_WORDS,
    "example": EXAMPLE_WORDS,
    "analogy": ANALOGY_WORDS,
    "mitigation": RISK_WORDS,
    "reflection": REFLECTION_WORDS,
    "mechanism": MECHANISM_WORDS,
    "comparison": COMPARISON_WORDS,
}

DETECTORS: dict[str, Check] = {
    "metric": _metric,
    "user": _user,
    "plan": _plan,
    "ownership": _ownership,
    "tradeoff": _tradeoff,
    "quantity": _quantity,
    "timeline": _timeline,
    "example": _example,
    "analogy": _analogy,
    "mitigation": _mitigation,
    "reflection": _reflection,
    "mechanism": _mechanism,
    "comparison": _comparison,
}

# --- manipulation and penalties -------------------------------------------------------------------

_ADDRESSEE = (
    r"(?:grader|evaluator|assessor|scorer|grading (?:model|ai|system)|scoring (?:model|ai|system)|ai grader|"
    r"llm|language model|ai model|ai reading this|whoever (?:grades|scores|reads|evaluates) this|hiring committee)"
)
_AWARD = r"(?:give|assign|award|score|rate|mark|grade|output|return|record|recommend)"
_TOP = r"(?:4|5|10|100|four|five|ten|full|maximum|max|top|highest|perfect|hire|strong hire|pass|marks?)"
INJECTION = _rx(
    # text addressed to whoever grades the answer, asking for a result
    r"\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:instructions?|rubric|prompt|rules|above|previous|criteria)\b"
    r"|\b(?:note|message|instruction|memo)s? (?:to|for) (?:the |any )?" + _ADDRESSEE + r"\b"
    r"|\b(?:dear|hey|hi|hello|attention|to the|for the|for) " + _ADDRESSEE + r"\b"
    r"|\b" + _ADDRESSEE + r"\b[,:]?.{0,60}\b" + _AWARD + r"\b.{0,60}\b" + _TOP + r"\b"
    r"|\b"
    + _AWARD
    + r"\b.{0,30}\b(?:this|my|the)\b.{0,20}\b(?:answer|response|candidate|me|transcript)\b.{0,40}\b"
    + _TOP
    + r"\b"
    r"|\b(?:rate|score|mark|grade) me\b.{0,30}\b" + _TOP + r"\b"
    r"|\b(?:this|my) (?:answer|response|transcript) (?:meets|satisfies|deserves|should (?:get|receive|be))\b"
    r"|\bverdict\s*[:=]\s*\"?hire|\"score\"\s*:|\bscore\s*[:=]\s*\d|\bas an ai (?:language )?model\b"
    r"|\byou are (?:now )?(?:a|an|the) (?:grader|evaluator|assistant)\b|</?(?:system|transcript|instructions?)>"
    r"|\[(?:system|inst)\]"
)
# Management and strategy jargon: two or more in a sentence with no number in it make a claim of nothing
# ("I drove stakeholder alignment through a governance cadence"). Sentences with a figure are left alone.
JARGON_WORDS = (
    r"raci|raid log|rag status|governance|cadence|steering committee|stakeholder alignment|alignment|aligned|"
    r"synerg\w*|leverag\w*|holistic\w*|best-in-class|world-class|cloud-native|future-proof\w*|robust|resilient|"
    r"seamless\w*|operational excellence|north[- ]star|end-to-end|data-driven|customer-centric|user-centric|"
    r"proactive\w*|best practices?|frameworks?|workstreams?|deliverables?|visibility|accountability|empower\w*|"
    r"transformation|paradigm|streamlin\w*|impactful|actionable|scalab\w*|move the needle|drive value|value-add|"
    r"cross-functional|ecosystem|enablement|game[- ]chang\w*|innovative|cutting[- ]edge|state[- ]of[- ]the[- ]art|"
    r"mission-critical|key learnings?|learnings|thought leadership|buy-in|bandwidth|circle back|double down|"
    r"deep dive|low-hanging fruit|single source of truth|guardrails?|north star metric|okrs?|kpis?|"
    # the ceremonies of process, named instead of the work
    r"prds?|requirements?|sprints?|jira|tickets?|stand-?ups?|backlog|scrum|kanban|retros?|workshops?|kick-?offs?|"
    r"sign-?offs?|status reports?|stakeholders?|ceremon\w+|syncs?|check-?ins?|timelines?|roadmaps?"
)
JARGON = _words(JARGON_WORDS)


def jargon_only(lowered: str) -> bool:
    """A sentence that says its management words and nothing measurable."""
    first = JARGON.search(lowered)  # two searches, not a findall: most sentences stop at the first
    return (
        first is not None
        and JARGON.search(lowered, first.end()) is not None
        and not (has_number(lowered) or has_quantity(lowered))
    )


IMPLEMENTATION_WORDS = (
    r"schemas?|tables?|columns?|endpoints?|apis?|rest|post|get|put|json|databases?|db|sql|nosql|primary key|"
    r"foreign key|index(?:es)?|microservices?|kafka|redis|payloads?|fields?|varchar|int|bigint|uuid|crud|queries|query|"
    r"rows?|joins?|orm|graphql|grpc|http|status code|200|404|500|cassandra|postgres|mysql|dynamo\w*|s3|lambda|"
    r"kubernetes|docker|cache|sharding|shards?|replicas?"
)
IMPLEMENTATION = _words(IMPLEMENTATION_WORDS)
PROCESS_WORDS = (
    r"sprints?|jira|tickets?|stand-?ups?|backlog|story points?|scrum|kanban|retros?|retrospectives?|"
    r"burndown|ceremon\w+|grooming|epics?|swimlanes?|confluence|status reports?|gantt|trello|asana"
)
PROCESS = _words(PROCESS_WORDS)
WE = re.compile(r"\b(?:we|our|us|the team)\b")
I_SUBJECT = re.compile(r"\b(?:I|[Mm]y)\b")
