"""Which expected document a file is, from its name or title (docs/notifications.md, "Quick upload").

Pure Python. A name matches an expected document when most of the name's distinctive words occur
in the document's description, and no other expected document matches as well.
"""

import re
import unicodedata

# Words that say nothing about which document a file is.
STOPWORDS = frozenset("""
dan atau di ke dari yang untuk dengan pada dalam tentang atas per oleh tahun thn the of and
pdf doc docx xlsx jpg jpeg png scan final rev revisi versi ver v dok dokumen file berkas copy salinan
""".split())
# Long forms that file names usually abbreviate.
ABBREVIATIONS = {"zona integritas": "zi", "surat keputusan": "sk", "sumber daya manusia": "sdm",
                 "wilayah bebas dari korupsi": "wbk", "standar operasional prosedur": "sop"}
MIN_SHARE = 0.6
MIN_WORDS = 2


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text or "").lower()
    tokens = re.split(r"[^a-z0-9]+", text)
    tokens += [short for long, short in ABBREVIATIONS.items() if long in " ".join(tokens)]
    return [t for t in tokens if t and not t.isdigit() and t not in STOPWORDS and len(t) > 1]


def _score(name_words: list[str], expected: str) -> tuple[float, int]:
    target = set(words(expected))
    hits = sum(1 for w in set(name_words) if w in target or any(t.startswith(w) for t in target if len(w) >= 4))
    distinct = len(set(name_words))
    return (hits / distinct if distinct else 0.0), hits


def match_expected(expected_items: list[str], names: list[str]) -> str:
    """The expected item the names (file name, title) point to, or "" when none clearly does."""
    best, best_score, tie = "", (0.0, 0), False
    for name in names:
        name_words = words(name)
        if not name_words:
            continue
        for expected in expected_items or []:
            score = _score(name_words, expected)
            if score[0] < MIN_SHARE or score[1] < min(MIN_WORDS, len(set(name_words))):
                continue
            if score > best_score:
                best, best_score, tie = expected, score, False
            elif score == best_score and expected != best:
                tie = True
    return "" if tie else best
