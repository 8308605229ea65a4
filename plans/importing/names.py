"""Names of change areas and indicators as units write them, matched to an instrument's tree.

Pure Python. Matching is tolerant of numbering ("1.", "a)", "II."), spelling, small typos and an
explanatory sentence glued after the name, and never guesses between two close candidates. The
wording units use besides an indicator's own name (its aliases) is instrument data: the
`aliases` list of an indicator node in fixtures/instruments/*.json. The rules are described in
docs/plan-import.md.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz

_FUZZY_SCORE = 85  # rapidfuzz ratio (0-100) for "the same name with a typo"
_PREFIX_SCORE = 90  # a name at the start of a longer cell ("Tim Kerja Penyusunan tim dilakukan ...")


@dataclass
class IndicatorRef:
    path: str  # e.g. "A.I.2.ii"
    name: str  # e.g. "Sistem Pemerintahan Berbasis Elektronik (SPBE)"
    change_area: str  # "MP" | "PT" | "SDM" | "AK" | "PW" | "PP" | "" (hasil)
    sub_komponen: str  # "PEMENUHAN" | "REFORM" | "" (10/2019 pengungkit has none)
    aliases: tuple[str, ...] = field(default=())  # other wording units use, from the instrument file

    def __hash__(self):
        return hash(self.path)


_NUMBERING_RE = re.compile(
    r"^(?:"
    r"[-•·*–—]\s*"  # bullets
    r"|\(\s*(?:\d+|[a-z]|[ivx]+)\s*\)\s*"  # (1) (a) (ii)
    r"|(?:\d+(?:\.\d+)*|[a-z]|[ivx]+)\s*[.)]\s*"  # 1. 1.2. a. a) ii.
    r"|\d+(?:\.\d+)*\s+"  # 1 / 1.2 without a dot
    r")+"
)
_NAME_SPELLING = (
    (re.compile(r"\btata laksana\b"), "tatalaksana"),
    (re.compile(r"\bsumber daya manusia\b"), "sdm"),
    (re.compile(r"\bsurvey\b"), "survei"),
    (re.compile(r"\bwhistle blowing\b"), "whistleblowing"),
)


def normalise_name(text: str) -> str:
    """Lower-case, without numbering prefixes ("1.", "a.", "II.", "(a)"), punctuation and extra spaces."""
    name = unicodedata.normalize("NFKC", str(text or "")).lower().strip()
    name = _NUMBERING_RE.sub("", name)
    name = re.sub(r"[^\w\s]|_", " ", name)
    name = " ".join(name.split())
    for pattern, replacement in _NAME_SPELLING:
        name = pattern.sub(replacement, name)
    return name


@functools.lru_cache(maxsize=8192)  # the same instrument names are compared for every row
def _name_keys(text: str) -> frozenset[str]:
    """The normalised name, and the same without parenthesised parts ("(SPBE)", "(SOP)")."""
    keys = {normalise_name(text), normalise_name(re.sub(r"\([^)]*\)", " ", str(text or "")))}
    return frozenset(key for key in keys if key)


# The six change areas are one fixed catalogue for every instrument, so their spellings live here.
AREA_NAMES: dict[str, list[str]] = {
    "MP": ["Manajemen Perubahan"],
    "PT": ["Penataan Tatalaksana", "Penataan Tata Laksana"],
    "SDM": ["Penataan Sistem Manajemen SDM", "Penataan Sistem Manajemen SDM Aparatur", "Manajemen SDM",
            "Penataan Manajemen SDM", "Penataan Sistem Manajemen Sumber Daya Manusia Aparatur"],
    "AK": ["Penguatan Akuntabilitas", "Penguatan Akuntabilitas Kinerja"],
    "PW": ["Penguatan Pengawasan"],
    "PP": ["Peningkatan Kualitas Pelayanan Publik", "Pelayanan Publik", "Peningkatan Kualitas Pelayanan",
           "Penguatan Kualitas Pelayanan Publik"],
}
_AREA_LOOKUP = {normalise_name(name): code for code, names in AREA_NAMES.items() for name in names}
_AREA_LOOKUP.update({code.lower(): code for code in AREA_NAMES})
_AREA_PREFIX_RE = re.compile(r"^(?:area perubahan|area|komponen pengungkit|komponen|program)\s+")
_AREA_NOISE_RE = re.compile(r"\(?\s*(?:bobot\s*)?=?\s*\d+(?:[.,]\d+)?\s*%\s*\)?")  # "(8%)", "= 8 %"
# "IV. Penguatan Akuntabilitas Kinerja Indikator ;": a label glued after the heading.
_AREA_TRAILER_RE = re.compile(r"\s+(?:indikator|target|sasaran)\s*$")
_SUB_KOMPONEN_WORDS_RE = re.compile(r"\b(?:pemenuhan|reform)\b")


def _area_key(text: str) -> str:
    key = normalise_name(_AREA_NOISE_RE.sub(" ", str(text or "")))
    key = " ".join(_SUB_KOMPONEN_WORDS_RE.sub(" ", key).split())
    key = _AREA_TRAILER_RE.sub("", key)
    return _AREA_PREFIX_RE.sub("", key)


def area_exact(text: str) -> str | None:
    """The area code when the text is an area's name (numbering and labels aside), else None."""
    return _AREA_LOOKUP.get(_area_key(text))


def match_area(text: str) -> str | None:
    """The change area code ("MP", "PT", ...) named by an area/KOMPONEN cell, or None."""
    key = _area_key(text)
    if not key:
        return None
    if key in _AREA_LOOKUP:
        return _AREA_LOOKUP[key]
    scores: dict[str, float] = {}
    for variant, code in _AREA_LOOKUP.items():
        if len(variant) > 3:  # the bare codes are too short to compare fuzzily
            scores[code] = max(scores.get(code, 0.0), fuzz.ratio(key, variant))
    close = [code for code, score in scores.items() if score >= _FUZZY_SCORE]
    return close[0] if len(close) == 1 else None


def indicator_refs_from_instrument(data: dict) -> list[IndicatorRef]:
    """Every `indikator` node of an instrument file (fixtures/instruments/*.json format), in order."""
    refs: list[IndicatorRef] = []

    def walk(node: dict, parent_path: str, change_area: str, sub_komponen: str) -> None:
        path = f"{parent_path}.{node['code']}" if parent_path else str(node["code"])
        change_area = node.get("change_area") or change_area
        if node.get("kind") == "sub_komponen":
            sub_komponen = str(node.get("name", "")).strip().upper()
        if node.get("kind") == "indikator":
            refs.append(IndicatorRef(path, str(node.get("name", "")).strip(), change_area, sub_komponen,
                                     tuple(str(alias) for alias in node.get("aliases") or ())))
        for child in node.get("children", []):
            walk(child, path, change_area, sub_komponen)

    for root in data.get("nodes", []):
        walk(root, "", "", "")
    return refs


_STOPWORDS = {"dan", "yang", "di", "ke", "dari", "dengan", "terhadap", "untuk", "atas", "pada", "oleh",
              "serta", "sesuai", "secara", "dalam", "zi", "wbk", "wbbm", "menuju", "zona", "integritas"}


# Words naming the Zona Integritas itself; stopwords above, since most names mention it.
_ZI_WORDS = {"zona", "integritas", "zi", "wbk", "wbbm"}


def _is_reform(ref: IndicatorRef) -> bool:
    return ref.sub_komponen.upper() == "REFORM"


def _prefer_sub_komponen(refs: list[IndicatorRef], says_reform: bool) -> list[IndicatorRef]:
    """Pemenuhan first unless the text says reform (90/2021 has similar names in both)."""
    reform = [ref for ref in refs if _is_reform(ref)]
    other = [ref for ref in refs if not _is_reform(ref)]
    if says_reform and reform:
        return reform
    return other or reform


def _significant_words(key: str) -> set[str]:
    return {word for word in key.split() if word not in _STOPWORDS}


@functools.lru_cache(maxsize=4096)
def _ref_keys(ref: IndicatorRef) -> tuple[frozenset[str], frozenset[str]]:
    """(keys of the indicator's own name, keys of its aliases)."""
    own = _name_keys(ref.name)
    aliases = frozenset(key for alias in ref.aliases for key in _name_keys(alias))
    return own, aliases


def _fuzzy_score(keys: set[str], ref: IndicatorRef, says_reform: bool = False) -> float | None:
    """The best similarity if the names are close enough to be the same indicator, else None.

    Close enough: a rapidfuzz ratio of at least 85, or the significant words of one name all
    contained in the other with at most one word to spare (both with at least two words).
    """
    best, contained = 0.0, False
    own, aliases = _ref_keys(ref)
    names = own if says_reform and not _is_reform(ref) else own | aliases
    for key in keys:
        words = _significant_words(key)
        speaks_of_zi = bool(_ZI_WORDS & set(key.split()))
        for name_key in names:
            best = max(best, fuzz.ratio(key, name_key))
            name_words = _significant_words(name_key)
            if name_key in aliases and not speaks_of_zi and _ZI_WORDS & set(name_key.split()):
                # "Revisi Penerapan Zona Integritas" is about ZI itself: its other words alone
                # ("revisi penerapan") do not make "Revisi penerapan SOP" the same indicator.
                continue
            if len(words) >= 2 and len(name_words) >= 2 and (
                    (name_words <= words and len(words - name_words) <= 1)
                    or (words <= name_words and len(name_words - words) <= 1)):
                contained = True
    return best if best >= _FUZZY_SCORE or contained else None


def _prefix_score(key: str, ref: IndicatorRef) -> tuple[float, int]:
    """How well the start of `key` spells the indicator (score, words of the name it spells)."""
    words = key.split()
    best = (0.0, 0)
    own, aliases = _ref_keys(ref)
    for name_key in own | aliases:
        length = len(name_key.split())
        if length < 2 and len(name_key) < 4:
            continue
        for take in range(max(1, length - 1), min(len(words), length + 1) + 1):
            score = fuzz.ratio(" ".join(words[:take]), name_key)
            if score >= _PREFIX_SCORE and (score, length) > best:
                best = (score, length)
    return best


def _one(refs: list[IndicatorRef], says_reform: bool) -> IndicatorRef | None:
    preferred = _prefer_sub_komponen(refs, says_reform)
    return preferred[0] if len({ref.path for ref in preferred}) == 1 else None


def match_indicator(text: str, *, area: str | None, indicators: list[IndicatorRef],
                    instrument_code: str | None = None) -> IndicatorRef | None:
    """The indicator a cell or heading names, or None when unknown or ambiguous (never a guess).

    In order: the exact normalised name or alias (within `area` when given); the same significant
    words; a close fuzzy match of the whole text; the name spelled at the start of a longer text.
    Between similar pemenuhan and reform indicators pemenuhan wins unless the text says "reform".
    `instrument_code` is accepted for older callers; aliases come with the indicators.
    """
    # "A.I.1.i Penyusunan Tim Kerja" (as the portal's own export writes it): the path settles it.
    path = re.match(r"\s*([A-Z](?:\.[IVX]+)?(?:\.\d+)+(?:\.[ivx]+)?)(?:\s|$)", str(text or ""))
    if path:
        by_path = [ref for ref in indicators if ref.path == path[1] and (area is None or ref.change_area == area)]
        if by_path:
            return by_path[0]
    raw_keys = _name_keys(text)
    says_reform = any("reform" in key.split() for key in raw_keys)
    keys = {" ".join(_SUB_KOMPONEN_WORDS_RE.sub(" ", key).split()) for key in raw_keys}
    keys = {re.sub(r"^(?:indikator|komponen)\s+", "", key) for key in keys} - {""}
    if not keys:
        return None
    candidates = [ref for ref in indicators if area is None or ref.change_area == area]

    exact = [ref for ref in candidates if keys & _ref_keys(ref)[0]]
    if exact:
        return _one(exact, says_reform)
    aliased = [ref for ref in candidates if keys & _ref_keys(ref)[1]]
    aliased = [ref for ref in aliased if not (says_reform and not _is_reform(ref))]
    if aliased:
        return _one(aliased, says_reform)

    # The same significant words in another order or with other small words ("SPBE Terintegrasi"
    # written out) settle it before the fuzzy match, which would prefer the pemenuhan namesake.
    word_sets = [_significant_words(key) for key in keys]
    same_words = [ref for ref in candidates
                  if any(_significant_words(name_key) in word_sets for name_key in _name_keys(ref.name))]
    if same_words:
        return _one(same_words, says_reform)

    scored = [(score, ref) for ref in candidates if (score := _fuzzy_score(keys, ref, says_reform)) is not None]
    if scored:
        preferred = _prefer_sub_komponen([ref for _score, ref in scored], says_reform)
        ranked = sorted(((score, ref) for score, ref in scored if ref in preferred), key=lambda pair: -pair[0])
        if len(ranked) == 1 or ranked[0][0] - ranked[1][0] >= 5:
            return ranked[0][1]
        return None

    # "Tim Kerja Penyusunan Tim kerja dilakukan dengan ...": the name, then an explanation.
    longest = max(keys, key=len)
    prefixed = [(score, ref) for ref in candidates if (score := _prefix_score(longest, ref))[0]
                and not (says_reform and not _is_reform(ref))]
    if not prefixed:
        return None
    prefixed.sort(key=lambda pair: (-pair[0][1], -pair[0][0]))
    best = prefixed[0][0]
    tied = [ref for score, ref in prefixed if score == best]
    return _one(tied, says_reform)
