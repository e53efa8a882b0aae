"""Static check of rubric term patterns for exponential backtracking, before any transcript meets them.

Python's `re` backtracks: a repetition whose body can match the same text in more than one way
('(a+)+', '(a|aa)+', '(\\w+\\s?)+') tries exponentially many splits of a near miss, and a rubric term
is a user's regex run on untrusted candidate text. The check builds a small NFA from the standard
library's own parse of the pattern and looks for exponential degree of ambiguity (EDA): a state with two
different paths back to itself that read the same text; and, for polynomial blow-up, three or more loops
in a row that can go round on shared letters ('\\w*\\w*\\w*'). It is conservative: lookarounds and anchors
count as matching nothing, and bounded repeats with a choice of counts ('{1,10}') count as unbounded, so
a doubtful term is rejected (with the reason) rather than let through.
"""

from __future__ import annotations

import re
import re._parser as sre  # the standard library's own parser of regex syntax
from functools import lru_cache
from typing import Any

LOOP_BOUND = 10  # an exact repeat of more than this many copies is analysed as a loop
MAX_STATES = 3000  # beyond this the term is called too complex to check
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT}
_REPRESENTATIVES = "az09_ \t\n-.,'!é"
_CATEGORY = {
    sre.CATEGORY_DIGIT: re.compile(r"\d"),
    sre.CATEGORY_NOT_DIGIT: re.compile(r"\D"),
    sre.CATEGORY_SPACE: re.compile(r"\s"),
    sre.CATEGORY_NOT_SPACE: re.compile(r"\S"),
    sre.CATEGORY_WORD: re.compile(r"\w"),
    sre.CATEGORY_NOT_WORD: re.compile(r"\W"),
}
AMBIGUOUS = (
    "can match the same text in more than one way inside a repetition (like '(a+)+' or '(a|aa)+'), "
    "which can take exponential time"
)
CHAINED = (
    "chains three or more repetitions that can read the same text (like '\\w+\\w+\\w+' or '\\w*\\s?\\w*\\s?\\w*'), "
    "which takes time growing with a high power of the sentence length"
)
MAX_CHAIN = 2  # loops in a row on the same letters: two is quadratic on a sentence of 320 characters, fine
NULLABLE = "repeats a part that can match nothing (like '(a?)+' or '(a|b?)*'), which can take exponential time"
TOO_COMPLEX = "is too complex to check for exponential matching time; write it more simply"


class _TooComplex(Exception):
    pass


class _Nullable(Exception):
    pass


def lower_regex(pattern: str) -> str:
    """The pattern as the offline grader runs it on lower-cased text (escapes such as \\S kept); the same rule as
    grading.detectors.lower_regex, which this layer may not import."""
    out, escaped = [], False
    for ch in pattern:
        out.append(ch if escaped else ch.lower())
        escaped = ch == "\\" and not escaped
    return "".join(out)


def _alphabet(items: Any, found: set[str]) -> None:
    """Every character the pattern names (literals, range ends), so overlaps between classes are seen."""
    for op, arg in items:
        if op in (sre.LITERAL, sre.NOT_LITERAL):
            found.add(chr(arg))
        elif op == sre.RANGE:
            found.update((chr(arg[0]), chr(arg[1]), chr(min(arg[0] + 1, arg[1]))))
        elif op == sre.IN:
            _alphabet(arg, found)
        for child in _children(op, arg):
            _alphabet(child, found)


def _children(op: Any, arg: Any) -> list[Any]:
    if op in _REPEATS:
        return [arg[2]]
    if op == sre.SUBPATTERN:
        return [arg[3]]
    if op == sre.BRANCH:
        return list(arg[1])
    if op == sre.ATOMIC_GROUP:
        return [arg]
    if op == sre.GROUPREF_EXISTS:
        return [arg[1]] + ([arg[2]] if arg[2] is not None else [])
    return []


class _Nfa:
    """A Thompson NFA over a finite alphabet: each character edge carries a bit mask of the letters it takes."""

    def __init__(self, letters: list[str]) -> None:
        self.letters = letters
        self.full = (1 << len(letters)) - 1
        self.eps: list[list[int]] = []
        self.edges: list[list[tuple[int, int]]] = []

    def new(self) -> int:
        if len(self.eps) >= MAX_STATES:
            raise _TooComplex
        self.eps.append([])
        self.edges.append([])
        return len(self.eps) - 1

    def mask(self, op: Any, arg: Any) -> int | None:
        """The letters one character-matching item takes; None when the item reads no character."""
        if op == sre.LITERAL:
            return self._where(lambda ch: ord(ch) == arg)
        if op == sre.NOT_LITERAL:
            return self._where(lambda ch: ord(ch) != arg)
        if op == sre.ANY:
            return self.full
        if op == sre.IN:
            negate = any(o == sre.NEGATE for o, _ in arg)
            took = self._where(lambda ch: any(_in_item(o, a, ch) for o, a in arg))
            return self.full & ~took if negate else took
        return None

    def _where(self, test: Any) -> int:
        return sum(1 << i for i, ch in enumerate(self.letters) if test(ch))

    def build(self, items: Any, cur: int) -> int:
        for op, arg in items:
            cur = self.item(op, arg, cur)
        return cur

    def item(self, op: Any, arg: Any, cur: int) -> int:
        mask = self.mask(op, arg)
        if mask is not None:
            nxt = self.new()
            self.edges[cur].append((mask, nxt))
            return nxt
        if op in _REPEATS:
            return self.repeat(arg[0], arg[1], arg[2], cur)
        if op in (sre.BRANCH, sre.GROUPREF_EXISTS):
            alternatives = list(arg[1]) if op == sre.BRANCH else [arg[1], arg[2] or []]
            end = self.new()
            for alt in alternatives:
                start = self.new()
                self.eps[cur].append(start)
                self.eps[self.build(alt, start)].append(end)
            return end
        if op == sre.SUBPATTERN:
            return self.build(arg[3], cur)
        if op == sre.ATOMIC_GROUP:
            return self.build(arg, cur)
        return cur  # anchors, lookarounds, back-references: read nothing here (an over-approximation)

    def repeat(self, low: int, high: int, body: Any, cur: int) -> int:
        unbounded = _is_loop(low, high)
        for _ in range(min(low, 3) if unbounded else low):
            cur = self.build(body, cur)
        if unbounded:
            if _nullable(body):
                raise _Nullable
            loop = self.new()
            self.eps[cur].append(loop)
            self.eps[self.build(body, loop)].append(loop)
            return loop
        for _ in range(high - low):
            end = self.new()
            start = self.new()
            self.eps[cur] += [start, end]
            self.eps[self.build(body, start)].append(end)
            cur = end
        return cur


def _is_loop(low: int, high: int) -> bool:
    """Repeats analysed as a loop: unbounded ones, and any with a choice of counts ('{1,10}' nested in '{1,10}'
    splits a near miss in billions of ways, bounded or not); an exact count only when it is large."""
    return high == sre.MAXREPEAT or (high > low and high >= 2) or high > LOOP_BOUND


def _in_item(op: Any, arg: Any, ch: str) -> bool:
    if op == sre.LITERAL:
        return ord(ch) == arg
    if op == sre.RANGE:
        return arg[0] <= ord(ch) <= arg[1]
    if op == sre.CATEGORY:
        category = _CATEGORY.get(arg)
        return category is None or bool(category.match(ch))  # an unknown category: assume it takes the letter
    return False


def _nullable(items: Any) -> bool:
    """Whether the items can match the empty string (then a repetition of them loops on nothing)."""
    for op, arg in items:
        if op in (sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN):
            return False
        if op in _REPEATS:
            if arg[0] > 0 and not _nullable(arg[2]):
                return False
        elif op == sre.BRANCH:
            if not any(_nullable(alt) for alt in arg[1]):
                return False
        elif op == sre.GROUPREF_EXISTS:
            if not (_nullable(arg[1]) or arg[2] is None or _nullable(arg[2])):
                return False
        elif op == sre.SUBPATTERN:
            if not _nullable(arg[3]):
                return False
        elif op == sre.ATOMIC_GROUP and not _nullable(arg):
            return False
    return True


def _without_epsilons(nfa: _Nfa) -> list[list[tuple[int, int, int]]]:
    """Character edges (id, mask, target) from each state through its epsilon closure. Two epsilon routes to the
    same edge make two edges with different ids: reading one letter two ways is ambiguity too."""
    counts: dict[int, dict[int, int]] = {}

    def closure(state: int) -> dict[int, int]:  # epsilon paths from `state` to each state, counted up to 2
        if state in counts:
            return counts[state]
        out = {state: 1}
        for nxt in nfa.eps[state]:
            for reached, n in closure(nxt).items():
                out[reached] = min(2, out.get(reached, 0) + n)
        counts[state] = out
        return out

    result: list[list[tuple[int, int, int]]] = []
    ident = 0
    for state in range(len(nfa.eps)):
        edges: list[tuple[int, int, int]] = []
        for via, n in closure(state).items():
            for mask, target in nfa.edges[via]:
                for _ in range(n):
                    edges.append((ident, mask, target))
                    ident += 1
        result.append(edges)
    return result


def _components(graph: list[list[int]]) -> list[int]:
    """Strongly connected components (iterative Tarjan): the component number of each node."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    comp = [-1] * len(graph)
    stack: list[int] = []
    on_stack: set[int] = set()
    counter = 0
    n_comp = 0
    for root in range(len(graph)):
        if root in index:
            continue
        work = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, i = work[-1]
            if i < len(graph[node]):
                work[-1] = (node, i + 1)
                nxt = graph[node][i]
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    comp[member] = n_comp
                    if member == node:
                        break
                n_comp += 1
    return comp


def _exponentially_ambiguous(edges: list[list[tuple[int, int, int]]]) -> bool:
    """EDA: two different paths from a state back to itself on the same text. In the product of the NFA with
    itself, that is a cycle through a diagonal pair (q, q) that leaves the diagonal or takes two different
    edges. Only pairs inside one cyclic component of the NFA can be on such a cycle."""
    graph = [[t for _, _, t in out] for out in edges]
    comp = _components(graph)
    pairs: dict[tuple[int, int], int] = {}
    product: list[list[int]] = []
    split_edges: list[tuple[int, int]] = []

    def node(p: int, r: int) -> int:
        key = (p, r)
        if key not in pairs:
            pairs[key] = len(product)
            product.append([])
        return pairs[key]

    todo = [(q, q) for q in range(len(edges)) if any(comp[t] == comp[q] for _, _, t in edges[q])]
    seen = set(todo)
    while todo:
        p, r = todo.pop()
        here = node(p, r)
        for id1, mask1, t1 in edges[p]:
            if comp[t1] != comp[p]:
                continue
            for id2, mask2, t2 in edges[r]:
                if comp[t2] != comp[p] or not mask1 & mask2:
                    continue
                there = node(t1, t2)
                product[here].append(there)
                if p == r and t1 == t2 and id1 != id2:
                    split_edges.append((here, there))
                if (t1, t2) not in seen:
                    seen.add((t1, t2))
                    todo.append((t1, t2))
                if len(product) > MAX_STATES * 40:
                    raise _TooComplex
    pcomp = _components(product)
    diagonal = {pcomp[i] for (p, r), i in pairs.items() if p == r}
    if any(pcomp[i] in diagonal for (p, r), i in pairs.items() if p != r):
        return True
    return any(pcomp[a] == pcomp[b] for a, b in split_edges)


@lru_cache(maxsize=4096)
def hazard(pattern: str) -> str | None:
    """Why this term could make one match take exponential time, or None when it cannot (as far as the check
    sees). Patterns that do not compile are judged by re.compile, not here."""
    if not any(ch in pattern for ch in "*+{"):
        return None  # nothing repeats: no loop, no blow-up
    try:
        parsed = sre.parse(lower_regex(pattern))
    except (re.error, RecursionError, OverflowError):
        return None
    found: set[str] = set(_REPRESENTATIVES)
    try:
        _alphabet(parsed, found)
        letters = sorted(found)
        loops = _loops(parsed)
        for loop in loops:  # a cycle lies inside one outermost loop, so each is checked on its own
            nfa = _Nfa(letters)
            nfa.build([loop], nfa.new())
            if _exponentially_ambiguous(_without_epsilons(nfa)):
                return AMBIGUOUS
        if sum(_count_loops(loop[1][2]) + 1 for loop in loops) > MAX_CHAIN:
            nfa = _Nfa(letters)
            nfa.build(parsed, nfa.new())
            if _longest_chain(_without_epsilons(nfa)) > MAX_CHAIN:
                return CHAINED
        return None
    except _Nullable:
        return NULLABLE
    except (_TooComplex, RecursionError):
        return TOO_COMPLEX


def _count_loops(items: Any) -> int:
    return sum(
        (op in _REPEATS and _is_loop(arg[0], arg[1])) + sum(_count_loops(child) for child in _children(op, arg))
        for op, arg in items
    )


def _longest_chain(edges: list[list[tuple[int, int, int]]]) -> int:
    """The most loops one after another that can all go round on a common letter, each reachable from the one
    before through letters they share: a near miss is then split between them in about n^k ways (polynomial
    ambiguity, here over-approximated with letters rather than whole words)."""
    graph = [[t for _, _, t in out] for out in edges]
    comp = _components(graph)
    loop_mask: dict[int, int] = {}
    members: dict[int, list[int]] = {}
    for state, out in enumerate(edges):
        members.setdefault(comp[state], []).append(state)
        for _, mask, target in out:
            if comp[target] == comp[state]:
                loop_mask[comp[state]] = loop_mask.get(comp[state], 0) | mask

    def reaches(start: int, goal: int, letters: int) -> bool:
        seen = set(members[start])
        todo = list(seen)
        while todo:
            state = todo.pop()
            for _, mask, target in edges[state]:
                if mask & letters and target not in seen:
                    if comp[target] == goal:
                        return True
                    seen.add(target)
                    todo.append(target)
        return False

    memo: dict[tuple[int, int], int] = {}

    def chain(c: int, letters: int) -> int:
        key = (c, letters)
        if key not in memo:
            memo[key] = 1 + max(
                (
                    chain(d, letters & loop_mask[d])
                    for d in loop_mask
                    if d != c and letters & loop_mask[d] and reaches(c, d, letters & loop_mask[d])
                ),
                default=0,
            )
        return memo[key]

    return max((chain(c, mask) for c, mask in loop_mask.items()), default=0)


def _loops(items: Any) -> list[tuple[Any, Any]]:
    """The outermost repeats that the NFA models as loops (unbounded, or bounded above LOOP_BOUND)."""
    out: list[tuple[Any, Any]] = []
    for op, arg in items:
        if op in _REPEATS and _is_loop(arg[0], arg[1]):
            out.append((op, arg))
            continue
        for child in _children(op, arg):
            out.extend(_loops(child))
    return out


def catastrophic(pattern: str) -> bool:
    """True when `hazard` finds a reason to reject the term."""
    return hazard(pattern) is not None
