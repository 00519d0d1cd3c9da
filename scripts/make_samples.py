"""Write the sample pictures to static/samples/*.png (run after changing app/images/samples.py).

.venv/bin/python scripts/make_samples.py
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.images.samples import SAMPLES  # noqa: E402

OUT = ROOT / "static" / "samples"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for sample in SAMPLES:
        image = sample.draw()
        image.save(OUT / f"{sample.name}.png", optimize=True)
        print(f"{sample.name}.png  {image.width}×{image.height} {image.mode}")


if __name__ == "__main__":
    main()
