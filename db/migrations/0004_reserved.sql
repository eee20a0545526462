-- Taizhang schema version 4: reserved. Another branch adds its own 0004 at the
-- same time; when both are merged this placeholder is deleted (or the plan-life
-- migration that follows it renumbered). It changes nothing.
SELECT 1;
