"""Every shipped catalogue matches the code and is complete (tests/catalogue_check.py), and the
check finds what it is there to find: small source trees with one fault each."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.catalogue_check import problems

HEADER = textwrap.dedent(
    """\
    msgid ""
    msgstr ""
    "Content-Type: text/plain; charset=UTF-8\\n"
    "Language: {code}\\n"
    "Plural-Forms: nplurals=2; plural=(n != 1);\\n"

    """
)
TEMPLATE = (
    '{% load i18n %}<p>{% translate "Book an appointment" %}</p>'
    "{% blocktranslate count n=days %}{{ n }} day{% plural %}{{ n }} days{% endblocktranslate %}"
)
CODE = 'from django.utils.translation import pgettext\nLABEL = pgettext("time of day", "Morning")\n'
GERMAN = {
    "Book an appointment": "Termin buchen",
    "Morning": "Vormittag",
}


def _entries(code: str, strings: dict[str, str], *, fuzzy: str = "") -> str:
    def string(msgid: str) -> str:
        return strings.get(msgid, "") if code != "en" else ""

    plural = ("Tag", "Tage") if code != "en" else ("", "")
    return HEADER.format(code=code) + textwrap.dedent(
        f"""\
        {"#, fuzzy" if fuzzy == "Book an appointment" else ""}
        msgid "Book an appointment"
        msgstr "{string("Book an appointment")}"

        #, python-format
        msgid "%(n)s day"
        msgid_plural "%(n)s days"
        msgstr[0] "%(n)s {plural[0]}"
        msgstr[1] "%(n)s {plural[1]}"

        msgctxt "time of day"
        msgid "Morning"
        msgstr "{string("Morning")}"
        """
    ).replace("%(n)s  ", "")


def _tree(tmp_path: Path, catalogues: dict[str, str], template: str = TEMPLATE) -> Path:
    """A package tree with one template, one module and the given catalogues."""
    root = tmp_path / "package"
    (root / "templates").mkdir(parents=True)
    (root / "templates" / "page.html").write_text(template)
    (root / "labels.py").write_text(CODE)
    for code, text in catalogues.items():
        folder = root / "locale" / code / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "django.po").write_text(text)
    return root


def test_the_shipped_catalogues_match_the_code_and_are_complete() -> None:
    assert problems() == []


def test_a_complete_tree_passes(tmp_path: Path) -> None:
    tree = _tree(tmp_path, {"de": _entries("de", GERMAN), "en": _entries("en", {})})
    assert problems(tree, ["de", "en"]) == []


def test_an_untranslated_entry_of_a_shipped_language_fails(tmp_path: Path) -> None:
    tree = _tree(
        tmp_path,
        {
            "de": _entries("de", GERMAN),
            "en": _entries("en", {}),
            "tr": _entries("tr", {"Book an appointment": "Randevu alın"}),
        },
    )
    assert problems(tree, ["de", "en", "tr"]) == ["tr: untranslated: '[time of day] Morning'"]


def test_a_fuzzy_entry_fails(tmp_path: Path) -> None:
    tree = _tree(
        tmp_path,
        {"de": _entries("de", GERMAN, fuzzy="Book an appointment"), "en": _entries("en", {})},
    )
    assert problems(tree, ["de", "en"]) == ["de: fuzzy: 'Book an appointment'"]


def test_a_msgid_missing_from_a_catalogue_fails(tmp_path: Path) -> None:
    tree = _tree(
        tmp_path,
        {"de": _entries("de", GERMAN), "en": _entries("en", {})},
        template=TEMPLATE + '{% translate "Cancel" %}',
    )
    assert problems(tree, ["de", "en"]) == [
        "de: in the code but not in the catalogue: 'Cancel'",
        "en: in the code but not in the catalogue: 'Cancel'",
    ]


def test_a_msgid_the_code_no_longer_uses_fails(tmp_path: Path) -> None:
    tree = _tree(
        tmp_path,
        {"de": _entries("de", GERMAN), "en": _entries("en", {})},
        template=TEMPLATE.replace("Book an appointment", "Book a time"),
    )
    found = problems(tree, ["de", "en"])
    assert "de: in the catalogue but no longer in the code: 'Book an appointment'" in found


def test_a_msgfmt_error_fails(tmp_path: Path) -> None:
    broken = _entries("de", GERMAN).replace('msgstr[0] "%(n)s Tag"', 'msgstr[0] "ein Tag %(m)s"')
    tree = _tree(tmp_path, {"de": broken, "en": _entries("en", {})})
    (found,) = problems(tree, ["de", "en"])
    assert found.startswith("de: msgfmt -c:")


def test_a_catalogue_of_an_unlisted_language_fails(tmp_path: Path) -> None:
    tree = _tree(
        tmp_path,
        {"de": _entries("de", GERMAN), "en": _entries("en", {}), "fr": _entries("fr", GERMAN)},
    )
    assert problems(tree, ["de", "en"]) == ["fr: a catalogue, but LANGUAGES does not list fr"]


def test_the_check_fails_without_gettext(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(AssertionError, match="apt-get install gettext"):
        problems()
