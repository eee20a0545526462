-- Taizhang schema version 3: when a task was completed.
-- 已完成 carries the date the unit finished the task (YYYY-MM-DD); the reports
-- print it. NULL for every other status. Plain statements: db/connection.py
-- runs the whole chain inside one BEGIN IMMEDIATE … COMMIT.
ALTER TABLE task_states ADD COLUMN done_date TEXT;

-- Tasks already marked done get the date of their latest live record, the
-- default the program itself uses; those without records stay NULL.
UPDATE task_states SET done_date = (
    SELECT max(a.action_date) FROM actions a
    WHERE a.task_id = task_states.task_id AND a.unit_id = task_states.unit_id AND a.deleted_at IS NULL)
WHERE status = '已完成';
