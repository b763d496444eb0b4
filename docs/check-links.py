#!/usr/bin/env python3
"""Checks the links of the repository's Markdown files (standard library only).

    python3 docs/check-links.py            # README.md, docs/*.md, k8s/README.md, bench/*.md
    python3 docs/check-links.py FILE...    # just these

Every relative link (and image) must name a file or directory inside the repository, and a `#fragment`
must name a heading of the target Markdown file (GitHub's anchor rules). Links that leave the repository
(http, https, mailto, absolute paths, `..` above the root) are reported as errors. Exit status 1 when
anything is wrong.
"""
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ["README.md", "docs/*.md", "k8s/README.md", "bench/*.md"]

LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def strip_code(text):
    """The text without fenced code blocks and inline code spans, lines kept for numbering."""
    out, fenced = [], False
    for line in text.split("\n"):
        if FENCE.match(line):
            fenced = not fenced
            out.append("")
            continue
        out.append("" if fenced else re.sub(r"`[^`]*`", "", line))
    return out


def slug(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`([^`]*)`", r"\1", heading)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = text.strip().lower()
    kept = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in "-_ " or cat[0] in "LN" or cat == "Mn":
            kept.append(ch)
    return "".join(kept).replace(" ", "-")


def anchors(path, cache={}):
    if path not in cache:
        seen, found, fenced = {}, set(), False
        for line in path.read_text(encoding="utf-8").split("\n"):
            if FENCE.match(line):
                fenced = not fenced
                continue
            m = None if fenced else HEADING.match(line)
            if m:
                base = slug(m.group(2))
                n = seen.get(base, 0)
                seen[base] = n + 1
                found.add(base if n == 0 else f"{base}-{n}")
        cache[path] = found
    return cache[path]


def check(md):
    problems, count = [], 0
    for number, line in enumerate(strip_code(md.read_text(encoding="utf-8")), 1):
        for target in LINK.findall(line):
            count += 1
            where = f"{md.relative_to(ROOT)}:{number}: {target}"
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("//"):
                problems.append(f"{where}: leaves the repository")
                continue
            if target.startswith("/"):
                problems.append(f"{where}: absolute path")
                continue
            path_part, _, fragment = target.partition("#")
            dest = (md.parent / path_part).resolve() if path_part else md
            try:
                dest.relative_to(ROOT)
            except ValueError:
                problems.append(f"{where}: outside the repository")
                continue
            if not dest.exists():
                problems.append(f"{where}: no such file")
                continue
            if fragment and dest.suffix == ".md" and fragment not in anchors(dest):
                problems.append(f"{where}: no heading #{fragment} in {dest.relative_to(ROOT)}")
    return problems, count


def main(args):
    files = []
    for pattern in args or DEFAULT:
        matched = sorted(ROOT.glob(pattern)) if any(c in pattern for c in "*?[") else [ROOT / pattern]
        files.extend(p for p in matched if p.is_file())
    problems, total = [], 0
    for md in files:
        found, count = check(md)
        problems.extend(found)
        total += count
    for p in problems:
        print(p)
    print(f"{len(files)} files, {total} links, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
