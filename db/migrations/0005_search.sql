-- Taizhang schema version 5: a full-text index of the records for the search box.
-- actions_fts holds every action's content and handler, cut into trigrams
-- (case-sensitive, like instr(): the search finds exactly what it found
-- before, only faster). SQLite's trigram index cannot answer a term shorter
-- than 3 characters — most Chinese words have 2 — so Store.search uses it for
-- terms of 3 or more characters and instr() for the others.
-- The index is an external-content table keyed by actions' rowid and kept in
-- step by the triggers below; nothing else writes it. (A VACUUM may renumber
-- the rowids of a table without an INTEGER PRIMARY KEY: after one, rebuild it
-- with INSERT INTO actions_fts(actions_fts) VALUES('rebuild').)
-- Applied like every migration: one statement at a time inside the chain's
-- one transaction (no executescript), so it is all there or not at all.
CREATE VIRTUAL TABLE actions_fts USING fts5(
    content, handler,
    content = 'actions', content_rowid = 'rowid',
    tokenize = 'trigram case_sensitive 1'
);

CREATE TRIGGER actions_fts_insert AFTER INSERT ON actions BEGIN
    INSERT INTO actions_fts (rowid, content, handler) VALUES (new.rowid, new.content, new.handler);
END;

CREATE TRIGGER actions_fts_delete AFTER DELETE ON actions BEGIN
    INSERT INTO actions_fts (actions_fts, rowid, content, handler)
        VALUES ('delete', old.rowid, old.content, old.handler);
END;

CREATE TRIGGER actions_fts_update AFTER UPDATE OF content, handler ON actions BEGIN
    INSERT INTO actions_fts (actions_fts, rowid, content, handler)
        VALUES ('delete', old.rowid, old.content, old.handler);
    INSERT INTO actions_fts (rowid, content, handler) VALUES (new.rowid, new.content, new.handler);
END;

INSERT INTO actions_fts (actions_fts) VALUES ('rebuild');
