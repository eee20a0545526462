"""Writing a package: manifest first, then every entry, through core.safe_write.

The manifest lists the size and sha256 of every other entry, so those are
known before anything is written: bytes made in memory are hashed there, and
evidence files are named by their content hash already (the data folder keeps
them at attachments/<sha[:2]>/<sha256>; a file damaged on disk is then caught by
the receiving desk, which checks every hash).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from core import __version__
from core.errors import Cancelled
from core.exchange import FORMAT, FORMAT_VERSION, MANIFEST
from core.safe_write import safe_output

CHUNK = 1024 * 1024


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def json_bytes(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


class Entry:
    """One entry: bytes in memory or a file on disk (whose sha256 is given)."""

    def __init__(self, name: str, data: bytes | None = None, path: Path | None = None, sha256: str | None = None,
                 compress: bool = True):
        self.name = name
        self.data = data
        self.path = path
        self.compress = compress
        if data is not None:
            self.size = len(data)
            self.sha256 = hashlib.sha256(data).hexdigest()
        else:
            assert path is not None
            self.size = path.stat().st_size
            self.sha256 = sha256 or _file_sha(path)


def _file_sha(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def base_manifest(kind: str, ledger) -> dict:
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "kind": kind, "program": "taizhang",
            "program_version": __version__, "schema_version": ledger.store.schema_version(),
            "created_at": utc_now()}


def write_package(out: Path, manifest: dict, entries: list[Entry],
                  progress: Callable[[int, int], None] | None = None,
                  cancelled: Callable[[], bool] | None = None) -> int:
    """Write the zip safely; returns its size in bytes."""
    manifest = {**manifest, "entries": [{"name": e.name, "size": e.size, "sha256": e.sha256} for e in entries]}
    total = sum(e.size for e in entries) or 1
    done = 0
    with safe_output(out) as fh:
        with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            zf.writestr(MANIFEST, json_bytes(manifest))
            for e in entries:
                if cancelled is not None and cancelled():
                    raise Cancelled("已取消，未生成数据包。")
                method = zipfile.ZIP_DEFLATED if e.compress else zipfile.ZIP_STORED
                if e.data is not None:
                    zf.writestr(e.name, e.data, compress_type=method)
                else:
                    info = zipfile.ZipInfo(e.name, date_time=datetime.now().timetuple()[:6])
                    info.compress_type = method
                    info.file_size = e.size
                    with open(e.path, "rb") as src, zf.open(info, "w", force_zip64=e.size > 2 ** 31) as dst:
                        for chunk in iter(lambda: src.read(CHUNK), b""):
                            dst.write(chunk)
                done += e.size
                if progress is not None:
                    progress(done, total)
        fh.flush()
        size = fh.tell()
    return size
