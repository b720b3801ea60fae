"""The Chinese catalog is complete, compiled, and no page leaks English in the zh-hans locale."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import client_for

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _entries():
    """(msgid, msgstr, flags) from the catalog; a tiny parser for the subset Django writes."""
    text = PO.read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n"):
        flags = " ".join(line for line in block.splitlines() if line.startswith("#,"))
        msgid = "".join(re.findall(r'^(?:msgid|msgid_plural)?\s*"(.*)"$', _section(block, "msgid")))
        strs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"((?:\n".*")*)', block, re.M)
        msgstr = "".join(first + "".join(re.findall(r'"(.*)"', rest)) for first, rest in strs)
        if msgid:
            entries.append((msgid, msgstr, flags))
    return entries


def _section(block, keyword):
    lines, inside = [], False
    for line in block.splitlines():
        if line.startswith(keyword + " "):
            inside = True
            lines.append(line[len(keyword) :].strip())
            continue
        if inside and line.startswith('"'):
            lines.append(line)
        elif inside:
            break
    return "\n".join(lines)


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = _entries()
    assert len(entries) > 100
    untranslated = [m for m, s, _ in entries if not s]
    fuzzy = [m for m, _, f in entries if "fuzzy" in f]
    assert not untranslated, f"untranslated: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:20]}"


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext's msgfmt is not installed")
def test_the_compiled_catalog_is_up_to_date(tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(PO)], check=True)
    committed = PO.with_suffix(".mo").read_bytes()
    assert fresh.read_bytes() == committed, "run `make messages` and commit django.mo"


PAGES = [
    ("portal:dashboard", []),
    ("staff:list", []),
    ("staff:department_list", []),
    ("staff:create", []),
    ("staff:import", []),
    ("portal:audit", []),
    ("staff:accounts", []),
    ("password_change", []),
    ("windows:stationing_import", []),
]

# English words that would only appear if a string escaped translation.
_LEAK = re.compile(r">\s*([A-Z][a-z]+(?: [a-z]+){1,})\s*<")
_ALLOWED = {"English"}


@pytest.mark.parametrize(("url_name", "args"), PAGES)
def test_no_english_leaks_into_chinese_pages(admin_user, person_a, url_name, args):
    html = client_for(admin_user).get(reverse(url_name, args=args)).content.decode()
    leaks = {m for m in _LEAK.findall(html) if m not in _ALLOWED}
    assert not leaks, leaks


def test_detail_page_has_no_english(admin_user, person_a):
    html = client_for(admin_user).get(reverse("staff:detail", args=[person_a.pk])).content.decode()
    leaks = {m for m in _LEAK.findall(html) if m not in _ALLOWED}
    assert not leaks, leaks
