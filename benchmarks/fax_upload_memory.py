"""Peak memory of `fax send` for a small and a big PDF: the upload is streamed.

Each send runs in its own process (the real client against the demo PBX on loopback, the
PBX in this process), and the child reports its peak resident size. With the upload read
into memory the big PDF's peak would be at least its size higher; streamed, about equal.

    uv run --extra test python benchmarks/fax_upload_memory.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from companion.simulator import Simulator  # noqa: E402
from tests.support.pdfs import write_pdf  # noqa: E402

CHILD = """
import asyncio, resource, sys
from pathlib import Path
from companion import fax_document
from companion.pbx.pascom import PascomPbx

async def main() -> None:
    pbx = PascomPbx(sys.argv[1], "moby", "demo-secret", "mmuster")
    try:
        document = fax_document.check(Path(sys.argv[2]))
        await pbx.send_fax(document.path, "+4930123456")
    finally:
        await pbx.close()

asyncio.run(main())
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def peak_mb(base_url: str, pdf: Path) -> int:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, base_url, str(pdf)],
        capture_output=True, text=True, check=True, cwd=REPO,
    )  # fmt: skip
    return int(done.stdout.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, Simulator.start() as sim:
        small = write_pdf(Path(folder) / "small.pdf", pages=1, padding=100_000)
        big = write_pdf(Path(folder) / "big.pdf", pages=1, padding=19 * 1024 * 1024)
        for pdf in (small, big):
            size = pdf.stat().st_size / 1024 / 1024
            print(f"{pdf.name}: {size:5.1f} MB -> client peak RSS {peak_mb(sim.base_url, pdf)} MB")


if __name__ == "__main__":
    main()
