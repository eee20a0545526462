-- Taizhang schema version 2: what the clerk writes for the reports.
-- The self-report's own texts, per unit and plan.
CREATE TABLE unit_reports (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    unit_id TEXT NOT NULL REFERENCES units(id),
    summary TEXT NOT NULL DEFAULT '',      -- 一、总体情况: the clerk's own summary
    problems TEXT NOT NULL DEFAULT '',     -- 三、存在问题: general remarks
    next_steps TEXT NOT NULL DEFAULT '',   -- 四、下一步工作计划
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (plan_id, unit_id)
);

-- Per task, for unfinished work: the reason, and the 回头看 rectification.
ALTER TABLE task_states ADD COLUMN problem TEXT NOT NULL DEFAULT '';   -- 存在问题 / 未完成原因
ALTER TABLE task_states ADD COLUMN remedy TEXT NOT NULL DEFAULT '';    -- 整改措施
ALTER TABLE task_states ADD COLUMN remedy_due TEXT;                    -- 整改时限, YYYY-MM-DD
