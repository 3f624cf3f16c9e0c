"""Normalized text with offsets back into the original, and language guessing."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


def normalize_label(label: str) -> str:
    """NFKC (full-width brackets and digits become ASCII), no whitespace between CJK characters,
    single spaces elsewhere."""
    text = unicodedata.normalize("NFKC", label)
    text = re.sub(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])", "", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Normalized:
    text: str
    origin: list[int]  # origin[i]: offset in the original text of normalized character i

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of a normalized span."""
        return self.origin[start], (self.origin[end - 1] + 1 if end > start else self.origin[start])


def normalize_text(original: str) -> Normalized:
    """NFKC per character, whitespace runs collapsed, and line breaks between CJK characters
    dropped (a Chinese sentence wrapped over two lines is one sentence); offsets are kept."""
    chars: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(original):
        for out in unicodedata.normalize("NFKC", ch):
            chars.append(out)
            origin.append(index)
    out_chars: list[str] = []
    out_origin: list[int] = []
    i = 0
    while i < len(chars):
        ch = chars[i]
        if ch.isspace():
            j = i
            while j < len(chars) and chars[j].isspace():
                j += 1
            before = out_chars[-1] if out_chars else ""
            after = chars[j] if j < len(chars) else ""
            if not (before and after and is_cjk(before) and is_cjk(after)):
                out_chars.append("\n" if "\n" in chars[i:j] else " ")
                out_origin.append(origin[i])
            i = j
            continue
        out_chars.append(ch)
        out_origin.append(origin[i])
        i += 1
    return Normalized("".join(out_chars), out_origin)


_STOPWORDS = {
    "en": {"the", "and", "of", "to", "in", "for", "is", "on", "with", "that"},
    "fr": {"le", "la", "les", "et", "des", "du", "pour", "dans", "est", "une"},
    "es": {"el", "la", "los", "las", "y", "del", "para", "en", "que", "una"},
}


def guess_language(text: str) -> str:
    """ar, zh, ru by script; en, fr, es by their commonest words."""
    sample = text[:20000]
    counts = {"zh": len(_CJK.findall(sample)), "ar": len(re.findall(r"[\u0600-\u06ff]", sample)),
              "ru": len(re.findall(r"[\u0400-\u04ff]", sample))}
    latin = len(re.findall(r"[A-Za-z\u00c0-\u024f]", sample))
    script, n = max(counts.items(), key=lambda kv: kv[1])
    if n > latin * 0.3 and n > 0:
        return script
    words = re.findall(r"[a-zà-ÿ]+", sample.lower())
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in _STOPWORDS.items()}
    return max(scores, key=scores.get) if any(scores.values()) else "en"
