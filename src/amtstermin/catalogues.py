"""Compile the message catalogues (``locale/<lang>/LC_MESSAGES/django.po`` → ``.mo``).

The ``.mo`` files are built, not committed: ``make`` runs ``python -m amtstermin.catalogues``
after installing, the test suite before its first test, and a deployment may run
``amtstermin compile_catalogues``. Pure Python (babel's reader and writer), so neither the
demo nor a server needs GNU gettext; only the catalogue check in the tests does
(``tests/test_catalogues.py``).

A catalogue is compiled when its ``.mo`` is missing or older than its ``.po``. Fuzzy entries are
left out, as ``msgfmt`` does.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "django"


def catalogue_paths(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Every ``<lang>/LC_MESSAGES/django.po`` below ``locale_dir``, by language."""
    return sorted(locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def compile_catalogue(po_path: Path) -> Path:
    """Write ``po_path``'s ``.mo`` beside it and return its path."""
    with po_path.open("rb") as source:
        catalogue = read_po(source, locale=po_path.parent.parent.name, domain=DOMAIN)
    mo_path = po_path.with_suffix(".mo")
    partial = mo_path.with_suffix(".mo.part")
    with partial.open("wb") as target:
        write_mo(target, catalogue, use_fuzzy=False)
    partial.replace(mo_path)  # readers never see half a file
    return mo_path


def compile_all(locale_dir: Path = LOCALE_DIR, *, force: bool = False) -> list[Path]:
    """Compile the catalogues whose ``.mo`` is missing or out of date; return those written."""
    written = []
    for po_path in catalogue_paths(locale_dir):
        mo_path = po_path.with_suffix(".mo")
        if force or not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            written.append(compile_catalogue(po_path))
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    for path in compile_all(force="--force" in args):
        print(f"compiled {path.relative_to(LOCALE_DIR)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
