"""Reading back the PDFs the documents download (core/documents.py) without a PDF library: the
streams are inflated and searched for the pages, their size, the embedded fonts and the
characters the fonts' ToUnicode maps cover (what a reader can extract: Chinese that rendered)."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

A4_POINTS = (595.28, 841.89)  # 210 × 297 mm


@dataclass
class PdfFacts:
    pages: int
    media_boxes: list[tuple[float, float]]
    fonts: list[str]  # embedded font names (subset prefix removed)
    characters: set[str]  # every character some font maps to Unicode

    def is_a4(self) -> bool:
        return bool(self.media_boxes) and all(
            abs(w - A4_POINTS[0]) < 0.5 and abs(h - A4_POINTS[1]) < 0.5 for w, h in self.media_boxes
        )

    def covers(self, text: str) -> bool:
        return set(text.replace(" ", "")) <= self.characters


def _streams(content: bytes) -> list[bytes]:
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            out.append(match.group(1))
    return out


def _cmap_characters(stream: bytes) -> set[str]:
    chars: set[str] = set()
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
        for _code, uni in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            chars |= set(bytes.fromhex(uni.decode()).decode("utf-16-be", "replace"))
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.S):
        for lo, hi, start in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            first = int(start, 16)
            for offset in range(int(hi, 16) - int(lo, 16) + 1):
                chars.add(chr(first + offset))
    return chars


def read_pdf(content: bytes) -> PdfFacts:
    assert content.startswith(b"%PDF-"), content[:20]
    everything = content + b"\n".join(_streams(content))
    boxes = [
        (float(w), float(h))
        for w, h in re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", everything)
    ]
    fonts = [
        name.decode().split("+", 1)[-1]
        for name in re.findall(rb"/FontName\s*/([^\s/<>\[\]]+)", everything)
    ]
    embedded = re.search(rb"/FontFile[23]?\b", everything) is not None
    characters: set[str] = set()
    for stream in _streams(content):
        if b"begincmap" in stream:
            characters |= _cmap_characters(stream)
    return PdfFacts(
        pages=len(re.findall(rb"/Type\s*/Page\b", everything)),
        media_boxes=boxes,
        fonts=fonts if embedded else [],
        characters=characters,
    )
