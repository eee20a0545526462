#!/usr/bin/env python3
"""Renders resources/icons/taizhang.svg into the PNG sizes desktops use
(resources/icons/taizhang-<size>.png) and the Windows .ico (taizhang.ico).

    python tools/build_icons.py

Qt's QSvgRenderer draws the PNGs (offscreen, no display needed), Pillow packs
the .ico; both come with requirements.txt. The outputs are committed: the
window, the bundle and the .deb take them from resources/icons/.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SVG = ICONS / "taizhang.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def png_path(size: int, folder: Path = ICONS) -> Path:
    """The PNG of ``size`` pixels in ``folder``."""
    return folder / f"taizhang-{size}.png"


def render(svg: Path = SVG, out: Path = ICONS, sizes=SIZES) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841  (QPainter needs one)
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {svg}")
    written = []
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        path = png_path(size, out)
        if not image.save(str(path), "PNG"):
            raise SystemExit(f"cannot write {path}")
        written.append(path)
    return written


def make_ico(out: Path = ICONS / "taizhang.ico") -> Path:
    """Packs the PNGs render() wrote beside ``out`` into one .ico (SIZES end at
    256, the .ico format's largest)."""
    from PIL import Image

    # Each size from its own rendering (the window's icon uses the same PNGs),
    # not the 256 image shrunk: the small ones keep their crisp strokes.
    images = [Image.open(png_path(s, out.parent)).convert("RGBA") for s in SIZES]
    images[-1].save(out, sizes=[im.size for im in images], append_images=images[:-1])
    return out


def main() -> int:
    for p in [*render(), make_ico()]:
        print(f"{p.relative_to(ROOT)}  {p.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
