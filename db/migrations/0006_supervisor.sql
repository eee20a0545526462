-- Taizhang schema (branch supervisor): the supervising office's desk.
-- Renumber after main's migrations at merge (0004–0008 here are placeholders).
--
-- A supervisor's data folder holds every unit's records in the ordinary
-- tables (task_states, actions, attachments, unit_reports: they carry
-- unit_id and plan_id and stable ids); these two tables say where each unit's
-- records came from. The desk's mode, its own unit, the 考评 weights and
-- deductions are settings.

-- Every report package (上报包) imported, newest last.
CREATE TABLE IF NOT EXISTS received_packages (
    id TEXT PRIMARY KEY,                -- the package's own uuid (manifest package_id)
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    unit_id TEXT NOT NULL REFERENCES units(id),
    installation_id TEXT NOT NULL,      -- the exporting copy of Taizhang
    sequence INTEGER NOT NULL,          -- per unit and installation, counted up on every export
    created_at TEXT NOT NULL,           -- when the unit wrote it
    imported_at TEXT NOT NULL,
    file_name TEXT NOT NULL DEFAULT '',
    file_sha256 TEXT NOT NULL,
    with_files INTEGER NOT NULL DEFAULT 1,
    manifest TEXT NOT NULL              -- the manifest as read (JSON)
);
CREATE INDEX IF NOT EXISTS received_packages_by_unit ON received_packages (plan_id, unit_id);

-- The package each unit's records in this store come from (one per plan and unit).
CREATE TABLE IF NOT EXISTS rollup_units (
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    unit_id TEXT NOT NULL REFERENCES units(id),
    package_id TEXT NOT NULL REFERENCES received_packages(id),
    installation_id TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (plan_id, unit_id)
);
