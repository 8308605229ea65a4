"""Fail when the English catalogue misses a translation.

Runs `makemessages -l en` (which adds every new string of the portal to
locale/en/LC_MESSAGES/django.po), then lists entries that are untranslated or fuzzy.
Exit status 1 when there are any. `--no-extract` checks the catalogue as committed.
See docs/i18n.md.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
IGNORE = [".venv", "var", "tests", "docs", "node_modules", "mutants"]  # mutants: mutmut's copy


def extract() -> None:
    args = [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "-v", "0"]
    for pattern in IGNORE:
        args += ["--ignore", pattern]
    subprocess.run(args, cwd=ROOT, check=True, env={**os.environ, "DEBUG": "true"})


def problems(po_text: str) -> list[str]:
    """msgids that are untranslated (empty msgstr) or marked fuzzy, header excluded."""
    found = []
    for block in po_text.split("\n\n"):
        lines = [line for line in block.strip().splitlines() if not line.startswith("#~")]
        if not lines:
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        msgid, strings, current = [], [], None
        for line in lines:
            if line.startswith("msgid "):
                current = msgid
                current.append(_unquote(line[6:]))
            elif line.startswith("msgid_plural "):
                current = None
            elif line.startswith("msgstr"):
                current = []
                strings.append(current)
                current.append(_unquote(line.split(" ", 1)[1]))
            elif line.startswith('"') and current is not None:
                current.append(_unquote(line))
        text = "".join(msgid)
        if not text and not fuzzy:
            continue  # the header
        if not text and fuzzy:
            found.append("(header is fuzzy)")
        elif fuzzy or not strings or any(not "".join(s) for s in strings):
            found.append(text)
    return found


def _unquote(quoted: str) -> str:
    return quoted.strip()[1:-1]


def main() -> int:
    if "--no-extract" not in sys.argv:
        extract()
    missing = problems(PO.read_text(encoding="utf-8"))
    for text in missing:
        print(f"untranslated or fuzzy: {text!r}")
    # Placeholders and plural forms must match the source, or the catalogue does not compile.
    compiled = subprocess.run(["msgfmt", "--check-format", "-o", os.devnull, str(PO)], check=False)  # noqa: S603, S607
    if compiled.returncode:
        missing.append("(msgfmt --check-format failed)")
    print(f"{len(missing)} English entries need a translation" if missing else "English catalogue complete")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
