"""Running a command without the right to ignore file permissions.

CI runs the tests as root, and root writes into a chmod 0555 folder anyway.
``without_override`` runs a command with the capabilities that let it do so
(CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER) dropped from its bounding
set (util-linux ``setpriv``): a root-owned read-only folder is then read-only
for it, as a write-protected stick is for the clerk. As an ordinary user the
command runs as it is. No mock: the refusal is the kernel's.
"""

from __future__ import annotations

import os
import shutil
import subprocess

DROP = "-dac_override,-dac_read_search,-fowner"


def without_override(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    if os.name == "posix" and os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        assert setpriv, "setpriv (util-linux) is needed to test read-only folders as root"
        argv = [setpriv, f"--bounding-set={DROP}", "--", *argv]
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, **kwargs)


def make_read_only(folder) -> None:
    """The folder and everything in it read-only (0555 folders, 0444 files)."""
    for root, dirs, files in os.walk(folder):
        for f in files:
            os.chmod(os.path.join(root, f), 0o444)
        os.chmod(root, 0o555)


def make_writable(folder) -> None:
    for root, dirs, files in os.walk(folder):
        os.chmod(root, 0o755)
        for f in files:
            os.chmod(os.path.join(root, f), 0o644)
