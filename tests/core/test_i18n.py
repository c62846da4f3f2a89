"""The English catalog: complete, compiled, and used when a user picks English.

The catalog lives in mediamatrix/locale/en/LC_MESSAGES (django.po and the compiled django.mo,
both in the repository); docs/i18n.md says how to update it.
"""

import ast
import re
import struct
from collections import Counter
from gettext import GNUTranslations
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation.template import templatize

from mediamatrix.orgs.models import Account, GridGroup, Unit
from mediamatrix.users.models import User

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "mediamatrix" / "locale" / "en" / "LC_MESSAGES"
PO = CATALOG / "django.po"
MO = CATALOG / "django.mo"
UPDATE = "see docs/i18n.md: makemessages, fill the msgstr, compilemessages"

# Ideographs, CJK and full-width punctuation: what an untranslated string shows (the ideographic
# space, which indents units in a select, is layout).
CHINESE = re.compile(r"[\u3001-\u303f\u3400-\u9fff\uff00-\uffef]")
# Chinese that English text keeps on purpose: the import file's instructions sheet and numbers
# written the way the import file accepts them.
KEPT = re.compile(r"“说明”|“1\.2万”|“10万\+”")
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[#0 +-]*\d*(?:\.\d+)?[sdifrx]")

# Message keys: (context or None, msgid) for singular messages, (context, msgid, msgid_plural)
# for plural ones; values are the list of msgstr (one, or one per plural form).
Key = tuple[str | None, ...]


def _unquote(line: str) -> str:
    return ast.literal_eval(line.strip())


def read_po(path: Path = PO) -> tuple[dict[Key, list[str]], list[str]]:
    """The entries of a .po file (the header left out) and the msgids flagged fuzzy."""
    entries: dict[Key, list[str]] = {}
    fuzzy: list[str] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        flags = ""
        current = ""
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                flags += line
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                fields[current] += _unquote(line)
            else:
                current, _, value = line.partition(" ")
                fields[current] = _unquote(value)
        if not fields.get("msgid"):
            continue  # the header (or an empty block)
        if "fuzzy" in flags:
            fuzzy.append(fields["msgid"])
        context = fields.get("msgctxt")
        if "msgid_plural" in fields:
            key: Key = (context, fields["msgid"], fields["msgid_plural"])
            forms = sorted(k for k in fields if k.startswith("msgstr["))
            entries[key] = [fields[k] for k in forms]
        else:
            entries[(context, fields["msgid"])] = [fields.get("msgstr", "")]
    return entries, fuzzy


def read_mo(path: Path = MO) -> dict[Key, list[str]]:
    """The messages of a compiled .mo file, keyed like `read_po`."""
    data = path.read_bytes()
    order = "<" if struct.unpack("<I", data[:4])[0] == 0x950412DE else ">"
    count, originals, translations = struct.unpack(order + "3I", data[8:20])

    def string(table: int, index: int) -> str:
        length, offset = struct.unpack(
            order + "2I", data[table + 8 * index : table + 8 * index + 8]
        )
        return data[offset : offset + length].decode("utf-8")

    messages: dict[Key, list[str]] = {}
    for index in range(count):
        original = string(originals, index)
        if not original:
            continue  # the header
        context, _, original = original.rpartition("\x04")
        ids = original.split("\x00")
        messages[(context or None, *ids)] = string(translations, index).split("\x00")
    return messages


# What makemessages extracts (Python keywords as Django passes them to xgettext).
PY_CALLS = {
    "_": (None, 1),
    "gettext": (None, 1),
    "gettext_lazy": (None, 1),
    "gettext_noop": (None, 1),
    "ngettext": (None, 2),
    "ngettext_lazy": (None, 2),
    "pgettext": (0, 1),
    "pgettext_lazy": (0, 1),
    "npgettext": (0, 2),
    "npgettext_lazy": (0, 2),
}
SKIP_DIRS = {".venv", "node_modules", "var", "tests", "benchmarks", "tools", "locale"}
LITERAL = r"""u?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
TEMPLATE_CALL = re.compile(
    rf"(?<![\w.])(_|gettext|ngettext|pgettext|npgettext)\(\s*({LITERAL}(?:\s*,\s*{LITERAL})*)"
)


def _source_files(*suffixes: str) -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*")
        if path.suffix in suffixes
        and path.is_file()
        and not SKIP_DIRS.intersection(path.relative_to(ROOT).parts)
    ]


def _key(function: str, strings: list[str]) -> Key | None:
    context_at, count = PY_CALLS[function]
    start = 0 if context_at is None else 1
    if len(strings) < start + count:
        return None
    context = None if context_at is None else strings[context_at]
    return (context, *strings[start : start + count])


def source_messages() -> set[Key]:
    """Every literal string the source marks for translation, as makemessages would find it."""
    found: set[Key] = set()
    for path in _source_files(".py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in PY_CALLS:
                continue
            strings = []
            for arg in node.args:
                if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                    break
                strings.append(arg.value)
            if key := _key(name, strings):
                found.add(key)
    for path in _source_files(".html", ".txt"):
        code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
        for function, arguments in TEMPLATE_CALL.findall(code):
            strings = list(ast.literal_eval(f"({arguments},)"))
            if key := _key(function, strings):
                found.add(key)
    return found


# The catalog ----------------------------------------------------------------------------------


def test_every_entry_is_translated_and_none_is_fuzzy():
    entries, fuzzy = read_po()
    assert entries
    assert fuzzy == [], f"fuzzy entries left in {PO.name}: {fuzzy}"
    untranslated = [key for key, forms in entries.items() if not all(f.strip() for f in forms)]
    assert untranslated == [], f"untranslated: {untranslated} ({UPDATE})"
    plural = [key for key, forms in entries.items() if len(key) == 3 and len(forms) != 2]
    assert plural == [], f"English needs msgstr[0] and msgstr[1]: {plural}"


def test_translations_keep_the_placeholders():
    entries, _ = read_po()
    for key, forms in entries.items():
        for index, form in enumerate(forms):
            source = key[-1] if index else key[1]
            wanted = Counter(PLACEHOLDER.findall(source))
            assert Counter(PLACEHOLDER.findall(form)) == wanted, (key, form)


def test_english_text_has_no_chinese():
    entries, _ = read_po()
    leftover = {
        key: forms
        for key, forms in entries.items()
        if any(CHINESE.search(KEPT.sub("", form)) for form in forms)
    }
    assert leftover == {}


def test_compiled_catalog_matches_the_po():
    """A .po edited without running compilemessages fails here."""
    entries, _ = read_po()
    compiled = read_mo()
    assert set(compiled) == set(entries), (
        f"django.mo is out of date: missing {set(entries) - set(compiled)}, "
        f"stale {set(compiled) - set(entries)} ({UPDATE})"
    )
    changed = [key for key in entries if compiled[key] != entries[key]]
    assert changed == [], f"django.mo has other translations for {changed} ({UPDATE})"
    with MO.open("rb") as file:
        translations = GNUTranslations(file)
    assert translations.gettext("单位") == "Units"
    assert translations.pgettext("button", "编辑") == "Edit"
    assert (
        translations.ngettext("发现 %(n)s 个问题。", "发现 %(n)s 个问题。", 1)
        == "%(n)s issue found."
    )


def test_catalog_covers_every_string_in_the_source():
    """A string marked for translation in the code or templates must be in the catalog."""
    entries, _ = read_po()
    in_source = source_messages()
    missing = sorted(in_source - set(entries), key=str)
    assert missing == [], f"not in {PO.name}: {missing} ({UPDATE})"
    stale = sorted(set(entries) - in_source, key=str)
    assert stale == [], f"no longer in the source: {stale} (makemessages --no-obsolete)"


# The pages ------------------------------------------------------------------------------------


def _data_names() -> list[str]:
    """Names that are data, not interface: they stay as entered, in any language."""
    names = [
        *Unit.objects.values_list("name", flat=True),
        *Account.objects.values_list("name", flat=True),
        *GridGroup.objects.values_list("name", flat=True),
        *(str(user) for user in User.objects.all()),
        "简体中文",  # the language switcher names each language in that language
    ]
    return sorted(set(names), key=len, reverse=True)


def _interface_text(html: str) -> str:
    for name in _data_names():
        html = html.replace(name, "")
    return KEPT.sub("", html)


def _nav(html: str) -> str:
    match = re.search(r'<nav class="mainnav".*?</nav>', html, re.S)
    assert match, "main navigation missing"
    return match.group(0)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_account_list_in_english(english, world):
    english.force_login(world.user(world.county_a, "viewer"))
    response = english.get("/accounts/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    nav = _nav(html)
    for label in ("Units", "Accounts", "Grid groups"):
        assert f">{label}</a>" in nav
    assert not CHINESE.search(nav), nav
    assert "<h1>Accounts" in html
    # The account's platform, category and status, and the filter's choices.
    for label in ("WeChat Official Account", "Government account", "Active", "Pending filing"):
        assert label in html
    assert "东湖发布" in html  # data stays as entered
    leftover = CHINESE.findall(_interface_text(html))
    assert leftover == [], "".join(leftover)


@pytest.mark.parametrize(
    "url",
    [
        "/units/",
        "/units/{county}/",
        "/units/{county}/edit/",
        "/units/{county}/children/",
        "/accounts/new/",
        "/accounts/{account}/",
        "/accounts/{account}/edit/",
        "/accounts/{account}/file/",
        "/accounts/{account}/close/",
        "/history/account/{account}/",
        "/grid-groups/",
        "/grid-groups/{group}/",
        "/grid-groups/new/",
        "/registry/health/",
        "/imports/",
        "/me/tokens/",
    ],
)
def test_pages_have_no_chinese_interface_text_in_english(english, world, url):
    english.force_login(world.user(world.city, "admin"))
    url = url.format(county=world.county_a.pk, account=world.account_a.pk, group=world.group_a.pk)
    response = english.get(url)
    assert response.status_code == 200
    leftover = CHINESE.findall(_interface_text(response.content.decode()))
    assert leftover == [], f"{url}: {''.join(leftover)}"


def test_login_page_in_english(english, db):
    response = english.get("/login/")
    html = response.content.decode()
    assert '<html lang="en">' in html and "Log in" in html
    assert CHINESE.findall(_interface_text(html)) == []


def test_chinese_stays_the_default(client, world):
    client.force_login(world.user(world.county_a, "viewer"))
    html = client.get("/accounts/").content.decode()
    assert '<html lang="zh-hans">' in html
    nav = _nav(html)
    assert ">单位</a>" in nav and ">账号</a>" in nav and "Accounts" not in nav
    assert "微信公众号" in html and "WeChat Official Account" not in html
