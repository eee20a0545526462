-- Placeholder on branch supervisor only: keeps the migration chain unbroken
-- (db/connection.py requires 0001, 0002, … without gaps) up to
-- 0009_supervisor.sql. Delete this file at merge, when 0009 is renumbered
-- after main's own migrations.
SELECT 1;
