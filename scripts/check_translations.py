#!/usr/bin/env python3
"""Translation check run by scripts/test (and so by CI): DESIGN.md invariant 6.

1. Regenerates the zh_Hans catalog(s) of the lianxin package in place with
   ``django-admin makemessages -l zh_Hans --no-obsolete --no-location`` (domain ``django``; ``djangojs``
   too once a non-minified .js file of the package calls gettext).
2. Fails if the regenerated catalog has other msgids than the committed one (commit the updated .po),
   listing what was added and removed.
3. Fails on every entry that is untranslated (empty msgstr or any empty plural form) or fuzzy, and on a
   fuzzy header or a header without ``Plural-Forms``.
4. Compiles the catalog with ``msgfmt --check-format`` (what ``compilemessages`` runs) and fails if the
   committed .mo does not hold the same translations (the fresh .mo is written in place: commit it).

The .mo files are committed so that ``lianxin demo`` works on machines without gettext.
When only the header's POT-Creation-Date would change, the committed .po is left byte-for-byte as it was,
so running the tests does not dirty the work tree.

Usage: check_translations.py [--package-dir DIR] [--settings MODULE] [--locale zh_Hans]
"""

from __future__ import annotations

import argparse
import gettext
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GETTEXT_TOOLS = ("xgettext", "msgmerge", "msguniq", "msgattrib", "msgfmt")
JS_GETTEXT = re.compile(r"\b(?:gettext|ngettext|pgettext|npgettext|interpolate)\s*\(")


# --------------------------------------------------------------------------- PO parsing

@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # index -> text; a singular entry uses 0
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def untranslated(self) -> bool:
        return not self.msgstr or any(v == "" for v in self.msgstr.values())

    def label(self) -> str:
        text = self.msgid if self.msgid_plural is None else f"{self.msgid} | {self.msgid_plural}"
        if self.msgctxt is not None:
            text = f"[{self.msgctxt}] {text}"
        return text if len(text) <= 100 else text[:97] + "..."


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _unquote(s: str) -> str:
    s = s.strip()
    if len(s) < 2 or s[0] != '"' or s[-1] != '"':
        raise ValueError(f"not a quoted PO string: {s!r}")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), s[1:-1])


def parse_po(text: str) -> list[Entry]:
    """Entries of a PO file (obsolete ``#~`` entries are dropped)."""
    entries: list[Entry] = []
    cur: Entry | None = None
    target: tuple | None = None  # ("msgid",) / ("msgstr", n) / ...
    seen_msgid = False

    def finish():
        nonlocal cur, seen_msgid
        if cur is not None and seen_msgid:
            entries.append(cur)
        cur, seen_msgid = None, False

    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
            target = None
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if cur is not None and seen_msgid and target and target[0] == "msgstr":
                finish()
            if cur is None:
                cur = Entry(line=lineno)
            if line.startswith("#,"):
                cur.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.startswith('"'):
            if cur is None or target is None:
                raise ValueError(f"line {lineno}: continuation without a keyword")
            value = _unquote(line)
            if target[0] == "msgstr":
                cur.msgstr[target[1]] += value
            else:
                setattr(cur, target[0], getattr(cur, target[0]) + value)
            continue
        after_msgstr = cur is not None and seen_msgid and target is not None and target[0] == "msgstr"
        if keyword in ("msgctxt", "msgid") and after_msgstr:
            finish()
        if cur is None:
            cur = Entry(line=lineno)
        if keyword == "msgctxt":
            cur.msgctxt = _unquote(rest)
            target = ("msgctxt",)
        elif keyword == "msgid":
            cur.msgid = _unquote(rest)
            seen_msgid = True
            target = ("msgid",)
        elif keyword == "msgid_plural":
            cur.msgid_plural = _unquote(rest)
            target = ("msgid_plural",)
        elif keyword == "msgstr":
            cur.msgstr[0] = _unquote(rest)
            target = ("msgstr", 0)
        elif (m := re.fullmatch(r"msgstr\[(\d+)\]", keyword)):
            n = int(m.group(1))
            cur.msgstr[n] = _unquote(rest)
            target = ("msgstr", n)
        else:
            raise ValueError(f"line {lineno}: cannot parse {raw!r}")
    finish()
    return entries


def header_fields(entries: list[Entry]) -> dict[str, str]:
    for e in entries:
        if e.is_header:
            out = {}
            for line in e.msgstr.get(0, "").splitlines():
                k, sep, v = line.partition(":")
                if sep:
                    out[k.strip()] = v.strip()
            return out
    return {}


def mo_catalog(data: bytes | None) -> dict | None:
    if data is None:
        return None
    try:
        return dict(gettext.GNUTranslations(io.BytesIO(data))._catalog)
    except Exception:  # a corrupt .mo is simply "not up to date"
        return None


def comparable(catalog: dict | None) -> dict | None:
    """The translations of a compiled catalog, with the header reduced to its Plural-Forms."""
    if catalog is None:
        return None
    out = {k: v for k, v in catalog.items() if k != ""}
    plural = re.search(r"^Plural-Forms:.*$", catalog.get("", ""), re.M)
    out["<plural-forms>"] = plural.group(0) if plural else None
    return out


# --------------------------------------------------------------------------- the check

def uses_js_gettext(package_dir: Path) -> bool:
    for js in package_dir.rglob("*.js"):
        if js.name.endswith(".min.js") or "node_modules" in js.parts or "vendor" in js.parts:
            continue
        if JS_GETTEXT.search(js.read_text(encoding="utf-8", errors="replace")):
            return True
    return False


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, text=True, capture_output=True, **kw)  # noqa: S603


def check_domain(domain: str, package_dir: Path, locale: str, env: dict) -> tuple[list[str], int]:
    """Problems found in one domain's catalog, and the number of translated entries."""
    problems: list[str] = []
    po_path = package_dir / "locale" / locale / "LC_MESSAGES" / f"{domain}.po"
    mo_path = po_path.with_suffix(".mo")
    rel = po_path.relative_to(package_dir.parent) if package_dir.parent in po_path.parents else po_path
    old_text = po_path.read_text(encoding="utf-8") if po_path.exists() else None
    old_mo = mo_path.read_bytes() if mo_path.exists() else None

    print(f"--> {domain}: makemessages -l {locale} (in {package_dir})", flush=True)
    cmd = [sys.executable, "-m", "django", "makemessages", "-l", locale, "-d", domain,
           "--no-obsolete", "--no-location", "--ignore=tests/*", "--ignore=*/tests/*",
           "--ignore=conftest.py", "--ignore=*/conftest.py", "--ignore=*.min.js", "--ignore=*/vendor/*"]
    done = run(cmd, cwd=package_dir, env=env)
    if done.returncode != 0 or not po_path.exists():
        problems.append(f"makemessages failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        return problems, 0
    new_text = po_path.read_text(encoding="utf-8")

    def strip_date(t: str) -> str:
        return re.sub(r'^"POT-Creation-Date: .*\\n"$', "", t, flags=re.M)

    if old_text is not None and strip_date(old_text) == strip_date(new_text):
        po_path.write_text(old_text, encoding="utf-8")  # nothing but the date changed: keep the file as is
        new_text = old_text

    try:
        new_entries = parse_po(new_text)
    except ValueError as e:
        problems.append(f"{rel}: cannot parse: {e}")
        return problems, 0

    # 1. The committed catalog must already hold exactly these msgids.
    if old_text is None:
        problems.append(f"{rel} was not committed; it has now been generated: translate it and commit it.")
    else:
        try:
            old_keys = {e.key for e in parse_po(old_text) if not e.is_header}
        except ValueError as e:
            old_keys = set()
            problems.append(f"committed {rel} cannot be parsed: {e}")
        new_keys = {e.key for e in new_entries if not e.is_header}
        added = sorted(new_keys - old_keys, key=str)
        removed = sorted(old_keys - new_keys, key=str)
        if added or removed:
            lines = [f"{rel} is out of date with the source (it has been regenerated in place; "
                     f"translate and commit it): {len(added)} msgid(s) new, {len(removed)} gone"]
            by_key = {e.key: e for e in new_entries}
            lines += [f"    + {by_key[k].label()}" for k in added]
            lines += [f"    - {Entry(msgctxt=k[0], msgid=k[1], msgid_plural=k[2]).label()}" for k in removed]
            problems.append("\n".join(lines))

    # 2. Every entry translated, nothing fuzzy, a usable header.
    header = next((e for e in new_entries if e.is_header), None)
    fields = header_fields(new_entries)
    if header is None:
        problems.append(f"{rel}: no header entry")
    else:
        if header.fuzzy:
            problems.append(f"{rel}:{header.line}: the header is marked fuzzy (msgfmt would ignore it): "
                            "remove '#, fuzzy' and fill in the header")
        if "Plural-Forms" not in fields:
            problems.append(f"{rel}: the header has no Plural-Forms (zh_Hans: nplurals=1; plural=0;)")
    body = [e for e in new_entries if not e.is_header]
    untranslated = [e for e in body if e.untranslated and not e.fuzzy]
    fuzzy = [e for e in body if e.fuzzy]
    def listing(entries):
        return "\n".join(f"    line {e.line}: {e.label()}" for e in entries)

    if untranslated:
        n = len(untranslated)
        problems.append(f"{rel}: {n} untranslated entr{'y' if n == 1 else 'ies'}:\n" + listing(untranslated))
    if fuzzy:
        problems.append(f"{rel}: {len(fuzzy)} fuzzy entr{'y' if len(fuzzy) == 1 else 'ies'} "
                        "(check them, then remove the fuzzy flag):\n" + listing(fuzzy))
    translated = len(body) - len(untranslated) - len(fuzzy)
    print(f"    {translated} of {len(body)} entries translated", flush=True)

    # 3. Compile (as compilemessages does) and compare with the committed .mo.
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / f"{domain}.mo"
        done = run(["msgfmt", "--check-format", "-o", str(fresh), str(po_path)])
        if done.returncode != 0:
            problems.append(f"msgfmt --check-format {rel} failed:\n{done.stdout}{done.stderr}")
            return problems, translated
        fresh_bytes = fresh.read_bytes()
    if comparable(mo_catalog(old_mo)) != comparable(mo_catalog(fresh_bytes)):
        mo_path.write_bytes(fresh_bytes)
        problems.append(f"{rel.with_suffix('.mo')} was {'missing' if old_mo is None else 'out of date'}; "
                        "it has been recompiled in place: commit it")
    return problems, translated


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--package-dir", type=Path, default=ROOT / "src" / "lianxin")
    ap.add_argument("--settings", default="lianxin.settings")
    ap.add_argument("--locale", default="zh_Hans")
    args = ap.parse_args(argv)
    package_dir = args.package_dir.resolve()

    missing = [t for t in GETTEXT_TOOLS if shutil.which(t) is None]
    if missing:
        print(f"FAIL: GNU gettext is missing ({', '.join(missing)} not found). Install it with:\n"
              "    sudo apt-get install -y gettext", file=sys.stderr)
        return 1

    env = dict(os.environ, DJANGO_SETTINGS_MODULE=args.settings)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(package_dir.parent), env.get("PYTHONPATH", "")) if p)
    domains = ["django"] + (["djangojs"] if uses_js_gettext(package_dir) else [])
    problems: list[str] = []
    total = 0
    for domain in domains:
        found, translated = check_domain(domain, package_dir, args.locale, env)
        problems += found
        total += translated
    print(f"Translations ({args.locale}): {total} entries translated")
    if problems:
        print(f"\nFAIL: translation check found {len(problems)} problem(s):", file=sys.stderr)
        for p in problems:
            print(f"  * {p}", file=sys.stderr)
        return 1
    print("OK: every message is translated and the committed catalogs are up to date.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
