"""Just enough PDF reading for the poster tests: inflate every stream, map glyph codes back to text through
the fonts' ToUnicode CMaps, and list the embedded font programs."""

import re
import zlib

STREAM = re.compile(rb"stream\r?\n")
HEX = re.compile(rb"<([0-9a-fA-F]+)>")
BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)


def streams(pdf: bytes) -> list[bytes]:
    out = []
    for m in STREAM.finditer(pdf):
        end = pdf.find(b"endstream", m.end())
        try:
            out.append(zlib.decompressobj().decompress(pdf[m.end():end]))
        except zlib.error:
            out.append(pdf[m.end():end])
    return out


def _cmaps(chunks) -> list[dict[str, str]]:
    maps = []
    for chunk in chunks:
        if b"begincmap" not in chunk:
            continue
        cmap = {}
        for block in BFCHAR.findall(chunk):
            pairs = HEX.findall(block)
            for src, dst in zip(pairs[::2], pairs[1::2], strict=False):
                cmap[src.decode().lower()] = bytes.fromhex(dst.decode()).decode("utf-16-be")
        for block in BFRANGE.findall(chunk):
            values = HEX.findall(block)
            for lo, hi, dst in zip(values[::3], values[1::3], values[2::3], strict=False):
                width = len(lo)
                for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                    cmap[f"{code:0{width}x}"] = chr(int(dst, 16) + i)
        maps.append(cmap)
    return maps


def texts(pdf: bytes) -> list[str]:
    """The page text decoded with each font's map (one string per map; the right one reads correctly)."""
    chunks = streams(pdf)
    content = [c for c in chunks if b" Tf" in c and (b"TJ" in c or b"Tj" in c)]
    out = []
    for cmap in _cmaps(chunks):
        decoded = []
        for c in content:
            for h in HEX.findall(c):
                h = h.decode().lower()
                decoded.append("".join(cmap.get(h[i:i + 4], "\ufffd") for i in range(0, len(h), 4)))
        out.append("".join(decoded))
    return out


def embedded_fonts(pdf: bytes) -> list[str]:
    """FontNames of font descriptors that carry an embedded font program (FontFile, FontFile2, FontFile3)."""
    names = []
    for chunk in [pdf, *streams(pdf)]:
        for m in re.finditer(rb"<<[^<>]*?/FontName\s*/([^\s/<>\[\]]+)[^<>]*?>>", chunk):
            if re.search(rb"/FontFile[23]?\s+\d+\s+\d+\s+R", m.group(0)):
                names.append(m.group(1).decode())
    return names
