-- Taizhang schema version 1.
-- Every user record (task_states, actions, action_versions, attachments,
-- related decisions) has a stable UUID, an updated time, and names its unit
-- and plan: the supervising office merges every unit's records by these ids.
-- Plan, task and directory ids are derived (uuid5) from their content, so
-- every copy of Taizhang gives the same plan the same ids.

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT
);

CREATE TABLE plans (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    issuer TEXT NOT NULL DEFAULT '',
    issued_date TEXT,
    year INTEGER NOT NULL,
    preamble TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE categories (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (plan_id, ord)
);

CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    category_id TEXT NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    text TEXT NOT NULL,
    units_text TEXT NOT NULL DEFAULT '',
    lead_text TEXT NOT NULL DEFAULT '',
    cooperate_text TEXT NOT NULL DEFAULT '',
    deadline TEXT,
    deadline_kind TEXT NOT NULL DEFAULT 'none' CHECK (deadline_kind IN ('date', 'yearly', 'none')),
    deadline_explicit INTEGER NOT NULL DEFAULT 0,
    source_line INTEGER NOT NULL DEFAULT 0,
    UNIQUE (plan_id, number)
);

CREATE TABLE units (
    id TEXT PRIMARY KEY,
    full_name TEXT NOT NULL UNIQUE,
    short_name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('town', 'municipal', 'vertical')),
    subkind TEXT NOT NULL DEFAULT '',
    has_admin INTEGER,
    has_website INTEGER,
    retired INTEGER NOT NULL DEFAULT 0,
    ord INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE unit_aliases (
    unit_id TEXT NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    PRIMARY KEY (unit_id, alias)
);

-- The responsible units and groups as each task names them (for display).
CREATE TABLE task_mentions (
    task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('unit', 'group', 'unresolved')),
    role TEXT NOT NULL CHECK (role IN ('lead', 'cooperate', 'implement', 'related')),
    unit_id TEXT REFERENCES units(id),
    group_key TEXT,
    PRIMARY KEY (task_id, ord)
);

-- One role per (task, unit): derived from task_mentions and the directory,
-- recomputed whenever either changes.
CREATE TABLE assignments (
    task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    unit_id TEXT NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('lead', 'cooperate', 'implement', 'related')),
    PRIMARY KEY (task_id, unit_id)
);
CREATE INDEX assignments_by_unit ON assignments (unit_id);

CREATE TABLE task_states (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    unit_id TEXT NOT NULL REFERENCES units(id),
    task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT '未启动' CHECK (status IN ('未启动', '推进中', '已完成', '持续推进')),
    dept TEXT NOT NULL DEFAULT '',
    person TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    decision TEXT CHECK (decision IN ('confirmed', 'dismissed')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (unit_id, task_id)
);

CREATE TABLE actions (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    unit_id TEXT NOT NULL REFERENCES units(id),
    task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    action_date TEXT NOT NULL,
    content TEXT NOT NULL,
    handler TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX actions_by_unit_task ON actions (unit_id, task_id);

-- Earlier versions of an action, kept on every edit.
CREATE TABLE action_versions (
    id TEXT PRIMARY KEY,
    action_id TEXT NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
    plan_id TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    action_date TEXT NOT NULL,
    content TEXT NOT NULL,
    handler TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    saved_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (action_id, version)
);

-- Evidence files; the bytes live once in attachments/<sha256[:2]>/<sha256>.
CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    unit_id TEXT NOT NULL REFERENCES units(id),
    task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    action_id TEXT REFERENCES actions(id),
    sha256 TEXT NOT NULL,
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    added_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX attachments_by_unit_task ON attachments (unit_id, task_id);
CREATE INDEX attachments_by_sha ON attachments (sha256);
