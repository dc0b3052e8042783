"""Plain text of a .docx (body in order, tables as "a | b" rows, then footers).

Used to check a template's legal mentions (a phrase split over several runs by Word still
matches) and for the golden files of rendered documents, which review as text diffs.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _paragraph_text(p: etree._Element) -> str:
    parts: list[str] = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br"):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        elif node.tag == f"{W}tab":
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _block_lines(parent: etree._Element) -> list[str]:
    lines: list[str] = []
    for child in parent:
        if child.tag == f"{W}p":
            lines.append(_paragraph_text(child))
        elif child.tag == f"{W}tbl":
            for row in child.iter(f"{W}tr"):
                cells = [
                    " ".join(_paragraph_text(p) for p in cell.iter(f"{W}p"))
                    for cell in row.iter(f"{W}tc")
                ]
                lines.append(" | ".join(cells))
    return lines


def docx_text(data: bytes) -> str:
    """The document's text, one paragraph or table row a line, footers last."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        body = etree.fromstring(archive.read("word/document.xml")).find(f"{W}body")
        lines = _block_lines(body) if body is not None else []
        for name in sorted(n for n in names if n.startswith("word/footer")):
            footer = etree.fromstring(archive.read(name))
            footer_lines = [line for line in _block_lines(footer) if line.strip()]
            if footer_lines:
                lines.append("--- pied de page ---")
                lines.extend(footer_lines)
    return "\n".join(lines) + "\n"
