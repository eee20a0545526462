"""Exchange packages, after Anki's .apkg: a zip whose first entry is a small
manifest with a format name and version.

    上报包 (.tzbg)  a unit's records for the supervising office (core/exchange/package.py)
    方案包 (.tzfa)  the plan as the office imported it, with its unit directory
                    and assignments (core/exchange/plan_package.py)

Layout of both:

    manifest.json        first entry; format, format_version, kind, program and
                         schema version, plan {id, title, year, content_sha256},
                         created_at, and "entries": [{name, size, sha256}] for
                         every other entry of the zip
    data/*.json          the records (UTF-8 JSON)
    files/<sha256>       evidence files by content hash (上报包, unless without files)
    reports/*            the unit's three reports, for people (上报包)

Reading trusts nothing (core/exchange/reader.py): see its docstring for the
checks, each refused with one Chinese sentence before anything is written.
"""

from __future__ import annotations

from core.errors import InputError

FORMAT = "taizhang-package"
FORMAT_VERSION = 1
REPORT_KIND, PLAN_KIND = "report", "plan"
REPORT_EXT, PLAN_EXT = ".tzbg", ".tzfa"
KIND_WORDS = {REPORT_KIND: "上报包", PLAN_KIND: "方案包"}
MANIFEST = "manifest.json"
RECORDS = "data/records.json"
PLAN_DATA = "data/plan.json"

# settings
K_INSTALLATION = "installation_id"
K_SEQUENCE = "package_sequence:"  # + unit id


class PackageError(InputError):
    """A package is refused; nothing was written. ``str()`` is one Chinese sentence."""


def installation_id(ledger) -> str:
    """This copy of Taizhang's id (a uuid made once and kept in the settings)."""
    import uuid

    value = ledger.store.get_setting(K_INSTALLATION)
    if not value:
        value = str(uuid.uuid4())
        ledger.store.set_setting(K_INSTALLATION, value)
    return value
