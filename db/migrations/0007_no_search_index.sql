-- Taizhang schema version 7: the trigram index of 0005 goes.
-- The search box no longer asks SQLite: the window keeps each task's
-- searchable text (db.store.Store.search_texts, core/search.py) and a
-- keystroke is a substring test over it, for words of any length. The index
-- was then only written — by three triggers on every record — and read by
-- nothing; it made the file, each backup and each quick_check at start bigger.
DROP TRIGGER IF EXISTS actions_fts_insert;
DROP TRIGGER IF EXISTS actions_fts_delete;
DROP TRIGGER IF EXISTS actions_fts_update;
DROP TABLE IF EXISTS actions_fts;
