"""Dressing real article bodies in chrome: shared by ``tests/test_clean.py`` and
``benchmarks/bench_clean.py`` (which imports it by path).

Real bodies/titles/leads come from ViMs and AbMuSu in ``../shared/data`` at run time (never
copied into the repo); the chrome comes from the templates in
``tests/fixtures/boilerplate/templates/<folder>/*.txt`` (placeholders described in that
folder's README). Every raw line gets a label: ``keep`` (body, lead) or ``drop`` (chrome).

Input noise for the end-to-end experiment: dotted-word obfuscation (``t.iền``), NFD, BOM +
CRLF, windows-1258 bytes.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import regex

from diemtin import pipeline
from diemtin.ingest.encoding import encode_legacy
from diemtin.ingest.read import read_inputs
from diemtin.model import Article

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
FIX = ROOT / "tests" / "fixtures" / "boilerplate"
TEMPLATES = FIX / "templates"

AUTHORS = ["Minh Anh", "Thu Hằng", "Hoàng Nam", "Lê Vy", "Ngọc Mai", "Trần Phong", "Khánh Linh", "Đức Huy"]
SITES = ["Tiền Phong", "Lao Động", "VTC News", "Báo Tin tức", "Vietnamplus", "Znews"]
WEEKDAYS = ["Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật"]


@dataclass(frozen=True)
class Doc:
    cluster: str  # source cluster id (documents of one cluster are "on topic" for each other)
    title: str
    body: list[str]  # non-blank stripped lines
    lead: str | None  # AbMuSu anchor text (sapo), None for ViMs


def vims_docs(clusters: int = 60, per_cluster: int = 2) -> list[Doc]:
    out = []
    for d in sorted((DATA / "vims-dev" / "data").glob("Cluster_*"))[:clusters]:
        for f in sorted(d.glob("*.txt"))[:per_cluster]:
            lines = f.read_bytes().decode("utf-8", "replace").replace("\r\n", "\n").split("\n")
            body = [x.strip() for x in lines[1:] if x.strip()]
            out.append(Doc(d.name, lines[0].strip(), body, None))
    return out


def abmusu_docs(name: str, limit: int, per_cluster: int = 2) -> list[Doc]:
    out = []
    with open(DATA / "abmusu" / name, encoding="utf-8") as fh:
        for k, line in enumerate(fh):
            if k >= limit:
                break
            for d in json.loads(line)["single_documents"][:per_cluster]:
                body = [x.strip() for x in d["raw_text"].split("\n") if x.strip()]
                lead = (d.get("anchor_text") or "").strip() or None
                out.append(Doc(f"ab{k}", d["title"].strip(), body, lead))
    return out


def templates(folder: str) -> list[Path]:
    return sorted((TEMPLATES / folder).glob("*.txt"))


def relabels() -> list[dict[str, str]]:
    """Lines inside the source bodies that are chrome (captions, bylines, credits), by prefix."""
    path = FIX / "dressed-body-relabels.jsonl"
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def relabel(line: str, label: str, fixes: list[dict[str, str]]) -> str:
    # By line prefix, not document id: a source line is a caption whatever template wraps it.
    for r in fixes:
        if line.startswith(r["prefix"]):
            return r["label"]
    return label


def dress(template: Path, doc: Doc, others: list[Doc], rng: random.Random) -> tuple[Article, list[str]]:
    """Wrap a real body in a chrome template; return the article and per-raw-line labels."""
    title, body, lead = doc.title, doc.body, doc.lead
    same = [o.title for o in others if o.cluster == doc.cluster and o.title != title] or [title + " (tiếp)"]
    off = [o for o in others if o.cluster != doc.cluster]
    tpl = [x for x in template.read_text(encoding="utf-8").splitlines() if x and not x.startswith("#")]
    n_parts = sum(x == "{BODY_PART}" for x in tpl)
    cut = sorted(rng.sample(range(1, max(2, len(body))), min(n_parts - 1, max(0, len(body) - 1))))
    parts = [body[a:b] for a, b in zip([0, *cut], [*cut, len(body)], strict=False)]
    parts += [[]] * (n_parts - len(parts))
    out: list[tuple[str, str]] = []

    def value(key: str) -> str:  # a fresh draw for every placeholder occurrence
        d, m = rng.randint(1, 28), rng.randint(1, 12)
        hh, mm = rng.randint(0, 23), rng.randint(0, 59)
        if key == "TITLE":
            return title
        if key == "AUTHOR":
            return rng.choice(AUTHORS)
        if key == "SITE":
            return rng.choice(SITES)
        if key == "NUM":
            return str(rng.randint(0, 40))
        if key == "DATE":
            return f"{d}/{m}/2024"
        if key == "TIME":
            return f"{hh:02d}:{mm:02d}"
        if key == "WEEKDAY":
            return rng.choice(WEEKDAYS)
        if key == "DATETIME":
            return f"{d:02d}/{m:02d}/2024 {hh:02d}:{mm:02d}"
        if key == "RELTIME":
            return rng.choice([f"{rng.randint(1, 59)} phút trước", f"{rng.randint(1, 23)} giờ trước"])
        if key == "REL_TIME_ONLY":
            return f"{hh:02d}:{mm:02d}"
        if key == "REL_DATE":
            return f"{d:02d}/{m:02d}/2024"
        if key == "REL_TITLE_ONTOPIC":
            return rng.choice(same)
        if key == "REL_TITLE":
            return rng.choice(off).title
        if key == "REL_LEAD":
            return next((o.lead for o in rng.sample(off, 20) if o.lead), rng.choice(off).title)
        if key == "TAGS":
            return ", ".join(" ".join(title.split()[i : i + 2]) for i in (0, 2, 4))
        if key == "CAPTION":
            return " ".join(rng.choice(body).rstrip(".").split()[:12])
        raise KeyError(key)

    def fill(line: str) -> str:
        return re.sub(r"\{([A-Z_]+)\}", lambda m: value(m.group(1)), line)

    for line in tpl:
        if line == "{BODY_PART}":
            out += [(x, "keep") for x in parts.pop(0)]
        elif "{LEAD}" in line:  # a line carrying the sapo is body, even with a site prefix
            if lead:
                out.append((fill(line.replace("{LEAD}", lead)), "keep"))
        else:
            out.append((fill(line), "drop"))
    article = Article(id=f"{template.stem}-{doc.cluster}", title=title, raw_text="\n".join(x for x, _ in out))
    return article, [lab for _, lab in out]


# ------------------------------------------------------------------------------ input noise

_WORD = regex.compile(r"(?<![\p{L}\p{N}.@/_-])\p{L}\p{Ll}+(?![\p{L}\p{N}@/_-])")


def obfuscate(text: str, rng: random.Random, rate: float = 0.02) -> str:
    """Put a dot inside ~``rate`` of the words (``tiền`` -> ``t.iền``), as keyword-dodging sites do."""

    def dot(m: regex.Match[str]) -> str:
        w = m.group(0)
        if rng.random() >= rate:
            return w
        k = rng.randint(1, min(3, len(w) - 1))
        return w[:k] + "." + w[k:]

    return _WORD.sub(dot, text)


ENCODINGS = ("utf-8", "nfd", "bom-crlf", "cp1258")


def encode_file(text: str, how: str) -> tuple[bytes, str]:
    """Bytes of ``text`` as a scraped file might hold them; returns (bytes, encoding used).

    windows-1258 lacks some characters (emoji, some symbols); such a file stays UTF-8 and
    the returned name says so.
    """
    if how == "nfd":
        return unicodedata.normalize("NFD", text).encode("utf-8"), how
    if how == "bom-crlf":
        return b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"), how
    if how == "cp1258":
        try:
            return encode_legacy(text, "cp1258"), how
        except UnicodeEncodeError:
            return text.encode("utf-8"), "utf-8 (cp1258 impossible)"
    return text.encode("utf-8"), "utf-8"


def clean_page(tmp_path: Path, lines: list[str]) -> Article:
    """``lines`` written as one text page, read and cleaned as ``diemtin clean`` would."""
    path = tmp_path / "page.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [cluster] = read_inputs([path])
    pipeline.clean(cluster)
    return cluster.articles[0]
