"""The catalogue check: the committed catalogues against what the code asks to translate.

``problems(source)`` copies the package tree ``source`` (with its ``locale/``) to a temporary
directory, runs Django's ``makemessages --no-location`` there for every language that has a
catalogue, and returns one sentence per problem:

- a catalogue whose set of msgids (with plurals and contexts) differs from the extracted one;
- an untranslated or fuzzy entry in a shipped language: every language of ``LANGUAGES`` that has
  a catalogue, except English, whose msgids are the English text (its msgstr stay empty);
- a catalogue of a language that ``LANGUAGES`` does not list;
- an error of ``msgfmt -c``.

It needs GNU gettext (``xgettext``, ``msgmerge``, ``msgfmt``): without it the check fails, it is
never skipped (``.ci/run`` installs Debian's ``gettext``).
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

import amtstermin

PACKAGE_DIR = Path(amtstermin.__file__).resolve().parent
MSGID_LANGUAGE = "en"
Key = tuple[str | None, str | tuple[str, ...]]


def require_gettext() -> None:
    missing = [tool for tool in ("xgettext", "msgmerge", "msgfmt") if shutil.which(tool) is None]
    assert not missing, (
        f"GNU gettext is needed for the catalogue check ({', '.join(missing)} missing): "
        "apt-get install gettext"
    )


def _read(path: Path) -> Catalog:
    with path.open("rb") as source:
        return read_po(source)


def _key(message: Message) -> Key:
    ident = message.id
    return (message.context, ident if isinstance(ident, str) else tuple(ident))


def _active(catalogue: Catalog) -> dict[Key, Message]:
    """The entries that count: not the header, not the obsolete ones (``#~``)."""
    return {_key(message): message for message in catalogue if message.id}


def _show(keys: Iterable[Key], limit: int = 8) -> str:
    shown = sorted(keys, key=repr)
    names = [
        (f"[{context}] " if context else "") + (ident if isinstance(ident, str) else ident[0])
        for context, ident in shown[:limit]
    ]
    more = f" … and {len(shown) - limit} more" if len(shown) > limit else ""
    return "; ".join(repr(name) for name in names) + more


def _untranslated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return not all(strings)


def _extract(source: Path, work: Path, languages: list[str]) -> Path:
    """Copy ``source`` to ``work`` and run makemessages there; return the copy's locale dir."""
    tree = work / "tree"
    shutil.copytree(
        source, tree, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static", "*.pyc")
    )
    locale_dir = tree / "locale"
    # makemessages scans the working directory and writes to LOCALE_PATHS[0]: the copy.
    with contextlib.chdir(tree), override_settings(LOCALE_PATHS=[locale_dir]):
        call_command(
            "makemessages",
            locale=languages,
            extensions=["html", "txt", "py"],
            no_location=True,
            verbosity=0,
        )
    return locale_dir


def problems(source: Path = PACKAGE_DIR, languages: Iterable[str] | None = None) -> list[str]:
    require_gettext()
    listed = [code for code, _name in settings.LANGUAGES] if languages is None else list(languages)
    catalogues = {
        path.parent.parent.name: path for path in source.glob("locale/*/LC_MESSAGES/django.po")
    }
    found = [
        f"{code}: a catalogue, but LANGUAGES does not list {code}"
        for code in catalogues
        if code not in listed
    ]
    present = [code for code in listed if code in catalogues]
    if not present:
        return [*found, "no catalogue at all"]
    with tempfile.TemporaryDirectory(prefix="catalogue-check-") as work:
        extracted_dir = _extract(source, Path(work), present)
        for code in present:
            committed = _active(_read(catalogues[code]))
            extracted = _active(_read(extracted_dir / code / "LC_MESSAGES" / "django.po"))
            if missing := extracted.keys() - committed.keys():
                found.append(f"{code}: in the code but not in the catalogue: {_show(missing)}")
            if stale := committed.keys() - extracted.keys():
                found.append(f"{code}: in the catalogue but no longer in the code: {_show(stale)}")
    for code in present:
        path = catalogues[code]
        catalogue = _read(path)
        if code != MSGID_LANGUAGE:
            entries = _active(catalogue)
            if catalogue.fuzzy:
                found.append(f"{code}: the header entry is fuzzy")
            if fuzzy := [key for key, message in entries.items() if message.fuzzy]:
                found.append(f"{code}: fuzzy: {_show(fuzzy)}")
            if empty := [key for key, message in entries.items() if _untranslated(message)]:
                found.append(f"{code}: untranslated: {_show(empty)}")
        checked = subprocess.run(
            ["msgfmt", "-c", "-o", "/dev/null", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        if checked.returncode != 0:
            found.append(f"{code}: msgfmt -c: {checked.stderr.strip()}")
    return found
