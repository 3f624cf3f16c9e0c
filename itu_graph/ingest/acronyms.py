"""Acronym definitions in running text: "Long Form (SF)", "SF (Long Form)" and Chinese 全称（简称）.

The Latin-script finder is Schwartz and Hearst, "A Simple Algorithm for Identifying Abbreviation
Definitions in Biomedical Text" (PSB 2003): a short form in parentheses (or the word before them),
a window of at most min(|SF| + 5, 2|SF|) words next to it, and the shortest long form whose words
contain every letter and digit of the short form in order, the first one starting a word. It works
for any alphabet with case (Latin, Cyrillic) and for a short form of another language's initials
when its letters still occur in order (GTC-RFH for "Groupe de travail du Conseil sur les ressources
financières et humaines").

Chinese writes the short form after the full name in full-width parentheses: 国际电信联盟（国际电联）,
跨部门协调任务组（ISC-TF）, often with 以下简称 ("hereafter"). A Chinese short form is matched
the same way, character by character; a Latin acronym after a Chinese name cannot be, so the long
form is the run of Chinese characters before it, cut where a clause or a verb phrase ends.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .text import is_cjk

_OPEN, _CLOSE = "(（", ")）"
#: a short form: 2-10 characters, at most two words, starting with a letter or digit
_SHORT = re.compile(r"^[^\W_][\w&+./'’-]*(?: [\w&+./'’-]+)?$")
_WORDS = re.compile(r"[^\s]+")
#: what ends a Chinese noun phrase on its left: punctuation, particles and the verbs that introduce a body
CJK_BOUNDARY = re.compile(
    r"[，。；：、！？“”‘’《》「」『』（）()\s,.;:!?]|"
    r"以下简称|简称|下称|设立了|设立|成立了|成立|新设了|新设|召开了|召开|审议了|审议|通过了|通过|"
    r"包括|负责|要求|邀请|支持|参加|参与|主持|听取|提交|设有|由|向|对|在|将|是|为|从|于|与其|请|并|了|的|及其|"
    r"汇总|确定|提供|共享|召集|跟踪|说明|认为|存在|保存|开展|"
    r"而|且|但|则|即|又|也|均|都|已|还|就|先|如|例如|加强|优化|体现|起草|收集|列出|按|进行|需要|期间|同时|责成|做出|"
    r"根据|按照|依照|关于|其|该|本|此|这|各")


@dataclass(frozen=True)
class Definition:
    """An acronym and its long form, with their spans in the text (end exclusive)."""
    short: str
    long: str
    short_span: tuple[int, int]
    long_span: tuple[int, int]


def is_short_form(candidate: str) -> bool:
    """Schwartz and Hearst's short-form test: 2-10 characters, at most two words, a letter among
    them, the first one a letter or digit; here also an upper-case letter or a CJK character
    (a lower-case word in parentheses is a gloss, not an acronym)."""
    candidate = candidate.strip()
    if not 2 <= len(candidate) <= 10 or not _SHORT.match(candidate):
        return False
    if not any(ch.isalpha() for ch in candidate):
        return False
    cjk = sum(1 for ch in candidate if is_cjk(ch))
    if cjk and cjk != len(candidate):
        return False  # 见C24/49号文件 is a note, not a short form
    return any(ch.isupper() for ch in candidate) or cjk == len(candidate)


def best_long_form(short: str, long: str) -> str | None:
    """Schwartz and Hearst's findBestLongForm: walk the short form right to left, matching each
    letter or digit to the rightmost earlier character of the long form, the short form's first
    character only at the start of a word; the long form starts at the word holding that match.
    None if some character has no match."""
    s, l = len(short) - 1, len(long) - 1
    while s >= 0:
        ch = short[s].lower()
        if not ch.isalnum():
            s -= 1
            continue
        while l >= 0 and (long[l].lower() != ch or
                          (s == 0 and l > 0 and long[l - 1].isalnum() and not is_cjk(long[l - 1]))):
            l -= 1
        if l < 0:
            return None
        l -= 1
        s -= 1
    if is_cjk(long[l + 1]):
        return long[l + 1:]
    start = max(long.rfind(" ", 0, l + 1), long.rfind("'", 0, l + 1), long.rfind("’", 0, l + 1)) + 1
    return long[start:]


def _window(text: str, end: int, words: int) -> int:
    """Start of the last ``words`` words before ``end`` (within the sentence)."""
    start = end
    count = 0
    for m in reversed(list(_WORDS.finditer(text, max(0, end - 400), end))):
        if re.search(r"[.;:!?]$", m.group(0)) and m.end() < end:
            break
        count += 1
        start = m.start()
        if count >= words:
            break
    return start


def _valid(short: str, long: str) -> bool:
    if not long or len(long) <= len(short) or short.lower() in long.lower().split():
        return False
    size = len(short.replace("-", "").replace(" ", ""))
    return len(long.split()) <= min(size + 5, size * 2) or is_cjk(long[0])


def _cjk_long_form(text: str, end: int) -> int | None:
    """Start of the Chinese noun phrase ending at ``end``: the last boundary before it."""
    start = end
    while start > 0 and is_cjk(text[start - 1]):
        start -= 1
    if start == end:
        return None
    run = text[start:end]
    cut = 0
    for m in CJK_BOUNDARY.finditer(run):
        if m.end() < len(run) - 1:
            cut = m.end()
    return start + cut if len(run) - cut >= 2 else None


def find_definitions(text: str) -> list[Definition]:
    """Every acronym definition in ``text`` (either order, either parenthesis width)."""
    found: list[Definition] = []
    for m in re.finditer(r"[(（]([^()（）\n]{1,120})[)）]", text):
        raw = m.group(1)
        pre = re.match(r"\s*(?:以下简称|下称|简称)?[“\"「]?", raw).end()
        post = re.search(r"[”\"」]?\s*$", raw).start()
        if post <= pre:
            continue
        inner, inner_start = raw[pre:post], m.start(1) + pre
        before_end = m.start()
        while before_end > 0 and text[before_end - 1] == " ":
            before_end -= 1
        if is_short_form(inner):
            short_span = (inner_start, inner_start + len(inner))
            if before_end and is_cjk(text[before_end - 1]):
                if all(is_cjk(ch) for ch in inner):
                    start = _cjk_long_form(text, before_end)
                    long = best_long_form(inner, text[start:before_end]) if start is not None else None
                    if long and len(long) > len(inner):
                        found.append(Definition(inner, long, short_span, (before_end - len(long), before_end)))
                else:
                    start = _cjk_long_form(text, before_end)
                    if start is not None:
                        found.append(Definition(inner, text[start:before_end], short_span, (start, before_end)))
                continue
            size = len(re.sub(r"[^\w]", "", inner))
            start = _window(text, before_end, min(size + 5, size * 2))
            long = best_long_form(inner, text[start:before_end])
            if long and _valid(inner, long.strip()):
                long = long.strip()
                found.append(Definition(inner, long, short_span, (before_end - len(long), before_end)))
                continue
            # not a definition this way round: "SF (Long Form)" below may still be one
        # the other order, "SF (Long Form)": the word before the parenthesis is the short form
        previous = re.search(r"([^\W_][\w&+./-]*)$", text[:before_end])
        if previous and is_short_form(previous.group(1)) and len(inner.split()) > 1 and not is_cjk(inner[0]):
            short = previous.group(1)
            long = best_long_form(short, inner)
            if long and long == inner and _valid(short, long):
                found.append(Definition(short, long, (previous.start(1), previous.end(1)),
                                        (inner_start, inner_start + len(inner))))
    return found
