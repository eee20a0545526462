-- Taizhang schema version 5: units of any plan, and a plan's life.
-- * units.kind may be 'office' (科室: an office inside a bureau; no city-level
--   group ever includes it);
-- * units.directory names the directory a unit belongs to: '' is the city's
--   (the embedded Dongguan directory and every unit added to it); a bureau's
--   own plan has its own directory (its issuer's name), whose offices only that
--   bureau's plans see and whose group words (各科室, 各工作组 …) mean them.
--   A full name is unique within its directory (two bureaus both have 办公室);
-- * plans.directory: the directory a plan's names are looked up in first;
-- * plans.deleted_at: a removed plan waits in the 回收站 until restored.
-- The units table is rebuilt to widen its CHECK. The rebuild runs inside the
-- migration's one transaction with foreign keys on: the checks are deferred to
-- COMMIT (the units come back under the same ids before it) and the rows the
-- DROP cascades away (aliases, assignments) are put back.
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE keep_aliases AS SELECT * FROM unit_aliases;
CREATE TEMP TABLE keep_assignments AS SELECT * FROM assignments;
CREATE TEMP TABLE keep_units AS SELECT * FROM units;
DROP TABLE units;

CREATE TABLE units (
    id TEXT PRIMARY KEY,
    full_name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('town', 'municipal', 'vertical', 'office')),
    subkind TEXT NOT NULL DEFAULT '',
    has_admin INTEGER,
    has_website INTEGER,
    retired INTEGER NOT NULL DEFAULT 0,
    ord INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    directory TEXT NOT NULL DEFAULT '',
    UNIQUE (directory, full_name)
);
INSERT INTO units (id, full_name, short_name, kind, subkind, has_admin, has_website, retired, ord,
                      created_at, updated_at)
    SELECT id, full_name, short_name, kind, subkind, has_admin, has_website, retired, ord, created_at, updated_at
    FROM keep_units;
INSERT OR IGNORE INTO unit_aliases SELECT * FROM keep_aliases;
INSERT OR IGNORE INTO assignments SELECT * FROM keep_assignments;
DROP TABLE keep_aliases;
DROP TABLE keep_assignments;
DROP TABLE keep_units;

ALTER TABLE plans ADD COLUMN directory TEXT NOT NULL DEFAULT '';
ALTER TABLE plans ADD COLUMN deleted_at TEXT;

-- The user's decisions for a plan's names: in this plan, this name means this
-- unit (an unknown name mapped at import, a short form confirmed in a plan
-- from another city). Resolution reads them before the directory.
CREATE TABLE plan_names (
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    unit_id TEXT NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    PRIMARY KEY (plan_id, name)
);
