"""Is this paragraph about the question? A lexical judgement, deliberately cautious.

The topic is what the interviewer asked (the opening question, later questions that stay on it) plus
what the candidate has already said on topic, plus the company's own vocabulary when the round is
about it (pins and boards for Pinterest). A paragraph is judged only when it carries enough content
words of its own; it is off-topic when almost none of them touch the topic: a fluent answer about a
different product. Generic interview words (users, metric, launch, team...) say nothing about the
topic, so they are ignored on both sides.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from mockint.grading.obfuscation import plain

_TOKEN = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")

_FUNCTION = """a about above across after again against all almost along already also although always am among an and another any
anyone anything are aren't around as at away back be became because been before being below between both but by can can't
cannot could couldn't did didn't do does doesn't doing don't done down during each either else enough even ever every
everyone everything few for from further get gets getting give given go goes going gone got had hadn't has hasn't have
haven't having he he'd he'll he's her here here's hers herself him himself his how how's however i i'd i'll i'm i've if in
into is isn't it it's its itself just keep kind least less let let's like likely lot lots made make makes making many may
maybe me might mine more most much must my myself near need needs neither never next no nobody none nor not nothing now of
off often on once one only onto or other others otherwise our ours ourselves out over own per perhaps please probably put
quite rather really right said same say says see seem seems several shall she she'd she'll she's should shouldn't since so
some somebody someone something sometimes somewhat soon still such sure take takes taking than that that's the their theirs
them themselves then there there's these they they'd they'll they're they've thing things think this those though through
thus till to together too toward towards under unless until up upon us use used uses using very via want wants was wasn't
way ways we we'd we'll we're we've well went were weren't what what's whatever when where where's whether which while who
who's whoever whole whom whose why will with within without won't would wouldn't yes yet you you'd you'll you're you've
your yours yourself um uh er erm hmm okay ok yeah yep so like basically actually literally honestly kinda sorta gonna wanna
sort stuff bit pretty super totally definitely mean means meant tell told know knew known guess suppose feel felt look looks
looked looking start started starting end ended first second third last new old big small good great bad better best worse
high low long short part parts case cases point points example examples idea ideas day days week weeks month months year
years quarter quarters time times today tomorrow yesterday minute minutes hour hours percent number numbers half double"""

_INTERVIEW = """user users people person customer customers product products feature features problem problems solution solutions
build building built ship shipping shipped launch launched launching metric metrics measure measured measuring measurement
success successful goal goals target targets team teams engineer engineers engineering design designed designing data test
tested testing experiment experiments result results impact improve improved improving improvement work worked working
approach plan plans planning step steps phase phases risk risks tradeoff trade-off trade-offs tradeoffs priority prioritise
prioritize decision decide decided option options question questions answer answers interview round candidate company
value focus segment segments issue issues thing approach strategy process pm manager stakeholder stakeholders roadmap
scope v1 mvp version release rollout ramp guardrail guardrails baseline lift increase decrease grow growth rate share
cost costs revenue engagement retention conversion experience app platform system service tool tools help helps helped
make create created change changed changes try tried call called run ran using going understand understood explain explained
specific specifically concrete main key simple simply clear able thing important real really biggest
acceptance criteria criterion gate gates gated staged stage stages internal internally dogfood dogfooding canary percent
alignment aligned align stakeholder cadence leverage leveraging signal signals model models architecture scalable
scale scaling robust resilient holistic framework frameworks north star okr okrs kpi kpis dashboard dashboards
monitoring monitor rollback rollbacks flag flags flagged feature-flag pilot beta alpha ga iterate iteration iterative
feedback loop loops insights insight research discovery hypothesis hypotheses validate validation prioritization
roadmap quarter sprint sprints agile cross-functional partners partner ownership owner owners deliver delivered
delivery milestone milestones timeline timelines dependency dependencies blocker blockers critical path risk-based
mitigation mitigations mitigate fairness bias audit audits ethical responsible ai ml algorithm algorithms data-driven
personalisation personalization personalized personalised optimize optimise optimization optimisation
end-to-end seamless best-in-class world-class user-centric customer-centric impactful"""

STOP = frozenset(_FUNCTION.split()) | frozenset(_INTERVIEW.split())
WORK_WORDS = frozenset(_INTERVIEW.split())  # the vocabulary of talking about work at all
MIN_WORK_WORDS = 2  # an answer to an open question needs at least this many of them to be about work

# A company's own nouns: on topic for any question about that company.
COMPANY_WORDS: dict[str, str] = {
    "pinterest": "pinterest pin pins pinner pinners board boards save saves saved saving repin closeup closeups home-feed feed "
    "idea inspiration lens visual search creator creators shopping shoppable catalog catalogue merchant merchants advertiser "
    "advertisers ads taste interest interests niche aesthetic collage try-on",
}
MIN_SALIENT = 15  # fewer content words than this: too little to judge, so not held against the text
MIN_SHARE = 0.07  # with an off-topic subject, on-topic words below this share do not save the text...
MAX_STRAY_HITS = 1  # ...but more than this many on-topic words do: a new subject tied back to the topic
SUBJECT_WORDS = 8  # the subject: up to this many of the most repeated content words...
MIN_SUBJECT = 2  # ...of which at least this many are needed before the subject is judged
MIN_TOPIC = 4  # an opening with fewer content words than this leaves the topic open
# "Tell me about a time..." invites any subject: the first answer sets the topic instead.
OPEN_QUESTION = re.compile(
    r"\b(?:tell me about|walk me through|describe|talk (?:me )?(?:about|through)|give me an example of|share|recall|"
    r"think of|pick|choose) (?:a |an |the |one |some |your )?(?:[\w'-]+ ){0,4}?(?:time|project|program|programme|launch|"
    r"situation|moment|story|something|product|feature|decision|example|initiative|migration|case|concept|system|"
    r"technology|thing|topic)s?\b"
    r"|\b(?:a|the) (?:time|project|program|programme|launch|situation|moment) (?:when|where|you|that|in which)\b"
    r"|\b(?:you've|you have|you had|you) (?:[\w'-]+ ){0,2}?(?:delivered|led|run|ran|shipped|owned|driven|drove|managed|built|"
    r"launched|worked on|been part of|faced|handled|identified|made|explained|used|know well)\b"
)
# Words that show the interviewer is talking about a company's own product.
COMPANY_TRIGGERS: dict[str, re.Pattern[str]] = {
    "pinterest": re.compile(r"\bpinterest|\bpinners?\b|\bpins?\b|\bboards?\b|\bhome feed\b|\bidea pins?\b"),
}


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A crude, fast stem: enough to make 'boards'/'board' and 'renovating'/'renovation' meet."""
    w = word.strip("'-").removesuffix("'s")
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith(("ches", "shes", "sses", "xes")):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ation", "ition", "ment", "ings", "ing", "ers", "er", "ed", "ly", "al"):
        if len(w) - len(suffix) >= 4 and w.endswith(suffix):
            w = w[: -len(suffix)]
            break
    return w[:7]


def content_stems(text: str) -> set[str]:
    """Stems of the topical words in a text: no function words, no generic interview vocabulary."""
    return set(counts(text))


def company_stems(texts: Iterable[str]) -> set[str]:
    """The vocabulary of every company the interviewer's turns name."""
    joined = plain(" ".join(texts))
    out: set[str] = set()
    for company, words in COMPANY_WORDS.items():
        if COMPANY_TRIGGERS[company].search(joined):
            out |= {stem(w) for w in words.split()}
    return out


def about_work(text: str) -> bool:
    """For an open question ("tell me about a launch"): does the answer talk about work at all?"""
    tokens = _TOKEN.findall(plain(text))
    return len(tokens) < MIN_SALIENT * 2 or sum(1 for t in tokens if t in WORK_WORDS) >= MIN_WORK_WORDS


def is_open(question: str) -> bool:
    """True for a question that lets the candidate choose the subject."""
    return bool(OPEN_QUESTION.search(plain(question)))


def counts(text: str) -> Counter[str]:
    """How often each content stem occurs: what `judge` and `continues` read (count once, pass it around)."""
    return Counter(stem(t) for t in _TOKEN.findall(plain(text)) if t not in STOP and len(t) > 2)


def continues(words: Counter[str], topic: set[str], elsewhere: set[str]) -> bool:
    """True when the text's subject is more the earlier off-topic answers' subject than the topic's:
    the candidate carrying on about the other product after being asked again."""
    away = sum(1 for w in words if w in elsewhere)
    return away >= 3 and away > 2 * sum(1 for w in words if w in topic)


def judge(words: Counter[str], topic: set[str]) -> bool | None:
    """True on topic, False off topic, None when the text is too short to tell.

    Off topic: none of its content words touch the topic, or its subject (the content words it
    repeats most) lies wholly outside the topic while almost nothing else touches it."""
    if len(words) < MIN_SALIENT or not topic:
        return None
    hits = sum(1 for w in words if w in topic)
    if hits == 0 or (hits <= MAX_STRAY_HITS and hits < MIN_SHARE * len(words)):
        return False  # one shared word ("tickets") does not tie a paragraph about football to a helpdesk
    subject = [w for w, n in words.most_common(SUBJECT_WORDS) if n >= 2]
    stray = hits < min(MIN_SHARE * len(words), MAX_STRAY_HITS + 1)
    return not (len(subject) >= MIN_SUBJECT and not any(w in topic for w in subject) and stray)
