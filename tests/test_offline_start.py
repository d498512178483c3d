"""An offline run starts without the network stack: importing httpx and the remote
resolver is a tenth of the start-up, which every offline run (and each of a CI
matrix's jobs) pays for nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_an_offline_run_imports_no_network_stack(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# A\n\n[x](https://a.example/x) [y](#a)\n", encoding="utf-8")
    script = (
        "import sys\n"
        "from linkcheck._cli import main\n"
        "try:\n"
        f"    main(['--offline', '--no-cache', '--no-progress', {str(tmp_path)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m == 'httpx' or m.startswith('linkcheck._remote')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"
