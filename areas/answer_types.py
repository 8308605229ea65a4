"""The answer types of LKE questions, in one place (docs/instrument-format.md, "Answer types").

Plain Python (no Django import), so that the scoring engine can use it. areas.models.AnswerType
adds the labels shown in forms.
"""

YES_NO, ABC, ABCD, ABCDE, RATIO, INDEX = "yes_no", "abc", "abcd", "abcde", "ratio", "index"

# The option keys of each option type, in the order the LKE lists them.
OPTION_KEYS = {
    YES_NO: ("Ya", "Tidak"),
    ABC: ("A", "B", "C"),
    ABCD: ("A", "B", "C", "D"),
    ABCDE: ("A", "B", "C", "D", "E"),
}
OPTION_TYPES = frozenset(OPTION_KEYS)
ANSWER_TYPES = OPTION_TYPES | {RATIO, INDEX}
