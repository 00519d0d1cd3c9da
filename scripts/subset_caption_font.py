"""Cut the Chinese caption font (app/render/fonts/caption-zh-CN.otf) from Noto Sans CJK SC.

Keeps exactly the characters `app.render.captions.characters()` lists (every caption template in
every language, plus printable ASCII) so the font stays a few dozen kilobytes. Run it after
changing a caption:

    apt-get install fonts-noto-cjk        # Debian's NotoSansCJK-Regular.ttc (OFL-1.1)
    .venv/bin/python scripts/subset_caption_font.py

A dev-time tool: fontTools is in the test extra; the app itself only reads the result.
"""

import argparse
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.render.captions import characters  # noqa: E402
from app.render.text import CAPTION_FONTS  # noqa: E402

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FACE = "Noto Sans CJK SC"


def cut(source: Path, target: Path) -> int:
    """Write the subset; return its glyph count."""
    faces = [face for face in TTCollection(str(source)) if face["name"].getDebugName(1) == FACE]
    if not faces:
        raise SystemExit(f"{source} has no face named {FACE!r}")
    font = faces[0]
    options = subset.Options()
    options.layout_features = []  # Pillow's basic layout reads no OpenType features
    options.hinting = False  # captions are drawn at 11–40 px, anti-aliased
    options.desubroutinize = True  # smaller after the subset, and simpler for FreeType
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # names, copyright, licence and its URL
    options.name_languages = [0x409]
    options.notdef_outline = True  # the tofu box tests compare against
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in characters()])
    subsetter.subset(font)
    font.recalcTimestamp = False  # same catalogue, same bytes
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(target))
    return font["maxp"].numGlyphs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help=f"the collection (default {SOURCE})")
    parser.add_argument("--output", type=Path, default=CAPTION_FONTS["zh-CN"])
    args = parser.parse_args()
    if not args.source.exists():
        raise SystemExit(f"{args.source} is missing: apt-get install fonts-noto-cjk, or pass --source")
    glyphs = cut(args.source, args.output)
    print(f"wrote {args.output}: {glyphs} glyphs, {args.output.stat().st_size / 1024:.1f} KB")


if __name__ == "__main__":
    main()
