"""Reading a package from a stick, trusting nothing.

``open_package(path)`` checks, before anything is read into the store:

- the file is a whole zip (a truncated or damaged file has no central directory);
- its first entry is manifest.json, small, JSON, our format, a kind we know,
  a format version not newer than ours;
- every name is relative, uses "/", has no "..", no drive letter, is not a
  link or a folder, is listed in the manifest once (and every listed one is there);
- zip-bomb limits: entry count, total uncompressed size, and the ratio of
  uncompressed to compressed size (per entry and overall);
- the size and sha256 of every entry agree with the manifest (read in full,
  with the bytes counted, so that a header lying about sizes is caught too).

Everything is refused with a ``PackageError`` saying what is wrong in Chinese.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from core.exchange import FORMAT, FORMAT_VERSION, KIND_WORDS, MANIFEST, PackageError

MAX_MANIFEST = 4 * 1024 * 1024
MAX_ENTRIES = 200_000
MAX_TOTAL = 8 * 1024 ** 3  # 8 GiB uncompressed
MAX_RATIO = 200  # uncompressed : compressed, for entries over RATIO_FLOOR and the whole
RATIO_FLOOR = 1024 * 1024
CHUNK = 1024 * 1024
_SHA = re.compile(r"^[0-9a-f]{64}$")
_FILE_ENTRY = re.compile(r"^files/([0-9a-f]{64})$")


@dataclass
class Package:
    path: Path
    zf: zipfile.ZipFile
    manifest: dict
    sha256: str  # of the package file
    entries: dict[str, dict]  # name -> {size, sha256}
    spooled: dict[str, Path] = field(default_factory=dict)  # files/<sha> copied out while verifying

    @property
    def kind(self) -> str:
        return self.manifest["kind"]

    def read_json(self, name: str):
        try:
            return json.loads(self.read(name).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PackageError(f"{self._label()}中的“{name}”不是有效的数据（{exc.__class__.__name__}），未导入。") from exc

    def read(self, name: str) -> bytes:
        if name not in self.entries:
            raise PackageError(f"{self._label()}缺少“{name}”，未导入。")
        return self.zf.read(name)

    def extract_to(self, name: str, fh, progress=None) -> None:
        """Copy one (already verified) entry to an open binary file."""
        with self.zf.open(name) as src:
            while True:
                chunk = src.read(CHUNK)
                if not chunk:
                    break
                fh.write(chunk)

    def close(self) -> None:
        self.zf.close()
        for tmp in self.spooled.values():
            _unlink(tmp)
        self.spooled.clear()

    def _label(self) -> str:
        return f"“{self.path.name}”"

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _bad_name(name: str) -> bool:
    if not name or name.startswith(("/", "\\")) or "\\" in name or "\x00" in name:
        return True
    if re.match(r"^[A-Za-z]:", name):
        return True
    parts = name.split("/")
    return any(p in ("", ".", "..") for p in parts)


def _is_link(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return info.create_system == 3 and stat.S_ISLNK(mode)


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def open_package(path: Path | str, expect_kind: str | None = None, spool_dir: Path | None = None,
                 spool: Callable[[str], bool] | None = None) -> Package:
    """The package at ``path`` with every entry verified; PackageError otherwise.

    With ``spool_dir``, each evidence entry files/<sha256> for which ``spool(sha)``
    is true is copied to a temporary file there while it is verified (one read of
    the zip); ``Package.spooled`` names them, and closing the package removes
    those not taken (moved) by then."""
    path = Path(path)
    label = f"“{path.name}”"
    if not path.is_file():
        raise PackageError(f"找不到文件{label}。")
    file_hash = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(CHUNK), b""):
                file_hash.update(chunk)
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise PackageError(f"{label}不完整或已损坏（可能复制时U盘被拔出），不是有效的台账数据包，未导入。请重新拷贝该文件。") from exc
    except OSError as exc:
        from core.errors import os_error_text
        raise PackageError(f"无法读取{label}（{os_error_text(exc)}），未导入。") from exc
    spooled: dict[str, Path] = {}
    try:
        pkg = _check(path, zf, label, spool_dir, spool, spooled)
        pkg.sha256 = file_hash.hexdigest()
    except BaseException:
        zf.close()
        for tmp in spooled.values():
            _unlink(tmp)
        raise
    if expect_kind is not None and pkg.kind != expect_kind:
        pkg.close()
        raise PackageError(f"{label}是{KIND_WORDS[pkg.kind]}，这里需要{KIND_WORDS[expect_kind]}。")
    return pkg


def _check(path: Path, zf: zipfile.ZipFile, label: str, spool_dir: Path | None, spool, spooled: dict) -> Package:
    infos = zf.infolist()
    if not infos or infos[0].filename != MANIFEST:
        raise PackageError(f"{label}没有说明文件（manifest.json 应为第一项），不是台账的数据包，未导入。")
    if len(infos) > MAX_ENTRIES:
        raise PackageError(f"{label}包含的文件过多（{len(infos)} 个），已拒绝导入。")
    names = set()
    total = compressed = 0
    for info in infos:
        name = info.filename
        if _bad_name(name) or info.is_dir():
            raise PackageError(f"{label}中有不安全的文件名“{name}”（绝对路径、含“..”或为文件夹），已拒绝导入。")
        if _is_link(info):
            raise PackageError(f"{label}中的“{name}”是一个链接，已拒绝导入。")
        if name in names:
            raise PackageError(f"{label}中“{name}”出现了两次，已拒绝导入。")
        names.add(name)
        total += info.file_size
        compressed += info.compress_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise PackageError(f"{label}中的“{name}”压缩比异常（疑似“压缩炸弹”），已拒绝导入。")
    if total > MAX_TOTAL:
        raise PackageError(f"{label}解压后过大（{total // 1024 ** 2} MB，上限 {MAX_TOTAL // 1024 ** 2} MB），已拒绝导入。")
    if total > RATIO_FLOOR and total > MAX_RATIO * max(1, compressed):
        raise PackageError(f"{label}的压缩比异常（疑似“压缩炸弹”），已拒绝导入。")
    if infos[0].file_size > MAX_MANIFEST:
        raise PackageError(f"{label}的说明文件过大，已拒绝导入。")
    try:
        manifest = json.loads(_read_bounded(zf, infos[0], MAX_MANIFEST, label).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise PackageError(f"{label}的说明文件无法识别，不是台账的数据包，未导入。")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise PackageError(f"{label}的说明文件无法识别（格式版本无效），未导入。")
    if version > FORMAT_VERSION:
        raise PackageError(f"{label}由较新版本的台账程序生成（数据包格式 {version}，本程序支持到 {FORMAT_VERSION}），"
                           "未导入。请升级台账程序后再导入。")
    if manifest.get("kind") not in KIND_WORDS:
        raise PackageError(f"{label}的类型“{manifest.get('kind')}”无法识别，未导入。")
    listed = manifest.get("entries")
    if not isinstance(listed, list):
        raise PackageError(f"{label}的说明文件缺少文件清单，未导入。")
    entries: dict[str, dict] = {}
    for e in listed:
        if (not isinstance(e, dict) or not isinstance(e.get("name"), str) or not isinstance(e.get("size"), int)
                or not isinstance(e.get("sha256"), str) or not _SHA.match(e["sha256"]) or e["name"] in entries):
            raise PackageError(f"{label}的文件清单有误，未导入。")
        m = _FILE_ENTRY.match(e["name"])
        if m and m[1] != e["sha256"]:
            raise PackageError(f"{label}中“{e['name']}”的校验值与其名称不符，可能被改动过，未导入。")
        entries[e["name"]] = e
    present = names - {MANIFEST}
    if present != set(entries):
        extra = sorted(present - set(entries))[:3]
        lost = sorted(set(entries) - present)[:3]
        what = f"多出“{'、'.join(extra)}”" if extra else f"缺少“{'、'.join(lost)}”"
        raise PackageError(f"{label}与其文件清单不符（{what}），可能被改动过或不完整，未导入。")
    for info in infos[1:]:
        want = entries[info.filename]
        if info.file_size != want["size"]:
            raise PackageError(f"{label}中“{info.filename}”的大小与清单不符，可能被改动过或不完整，未导入。")
        m = _FILE_ENTRY.match(info.filename)
        sink = None
        if m and spool_dir is not None and (spool is None or spool(m[1])):
            spool_dir.mkdir(parents=True, exist_ok=True)
            sink = spool_dir / f"{uuid.uuid4().hex}.part"
            spooled[info.filename] = sink
        _verify(zf, info, want, label, sink)
    return Package(path, zf, manifest, "", entries, spooled)


def _read_bounded(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, label: str) -> bytes:
    try:
        with zf.open(info) as src:
            data = src.read(limit + 1)
    except Exception as exc:  # BadZipFile, zlib.error, EOFError, OSError: a damaged or cut file
        raise PackageError(f"{label}不完整或已损坏，未导入。请重新拷贝该文件。") from exc
    if len(data) > limit:
        raise PackageError(f"{label}的说明文件过大，已拒绝导入。")
    return data


def _verify(zf: zipfile.ZipFile, info: zipfile.ZipInfo, want: dict, label: str, sink: Path | None) -> None:
    digest = hashlib.sha256()
    n = 0
    out = open(sink, "wb") if sink is not None else None
    try:
        with zf.open(info) as src:
            while True:
                chunk = src.read(CHUNK)
                if not chunk:
                    break
                n += len(chunk)
                if n > want["size"]:
                    break
                digest.update(chunk)
                if out is not None:
                    out.write(chunk)
        if out is not None:
            out.close()
    except OSError as exc:
        if out is not None:
            out.close()
        from core.errors import os_error_text
        raise PackageError(f"读取或暂存{label}中的“{info.filename}”失败（{os_error_text(exc)}），未导入。") from exc
    except Exception as exc:  # BadZipFile (bad CRC), zlib.error, EOFError: a damaged or cut file
        if out is not None:
            out.close()
        raise PackageError(f"{label}中“{info.filename}”已损坏或不完整，未导入。请重新拷贝该文件。") from exc
    if n != want["size"] or digest.hexdigest() != want["sha256"]:
        raise PackageError(f"{label}中“{info.filename}”的校验值与清单不符，可能被改动过或已损坏，未导入。")
