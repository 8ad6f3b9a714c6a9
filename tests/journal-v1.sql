-- A journal as the first schema (version 1) wrote it, frozen: never edit this file.
-- tests/test_journal_store.py builds a real file from it and opens it with today's code,
-- which must migrate it and keep every session. Made with sqlite3's iterdump().
BEGIN TRANSACTION;
CREATE TABLE sessions (
        id TEXT PRIMARY KEY NOT NULL,
        day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        started TEXT CHECK (started IS NULL OR substr(started, 1, 10) = day),
        routine TEXT NOT NULL,
        routine_title TEXT,
        outcome TEXT CHECK (outcome IN ('completed', 'completed-with-skips', 'stopped')),
        steps_done INTEGER CHECK (steps_done >= 0),
        steps_total INTEGER CHECK (steps_total >= 1),
        duration_s REAL CHECK (duration_s >= 0),
        inhale_s REAL,
        exhale_s REAL,
        pain INTEGER CHECK (pain BETWEEN 0 AND 10),
        compared TEXT CHECK (compared IN ('better', 'same', 'worse')),
        tighter TEXT CHECK (tighter IN ('left', 'right', 'same')),
        note TEXT
    );
INSERT INTO "sessions" VALUES('0f1e2d3c4b5a69788796a5b4c3d2e1f0','2026-11-30','2026-11-30T07:30:12+01:00','lower-back-relief','Lower back relief','completed-with-skips',16,16,912.5,4.0,6.0,3,'better','left','Slept badly; the left hip was tight.');
INSERT INTO "sessions" VALUES('a1b2c3d4e5f60718293a4b5c6d7e8f90','2026-12-01',NULL,'daily-minimum','Daily minimum',NULL,NULL,NULL,NULL,NULL,NULL,2,NULL,'same',NULL);
CREATE TABLE skipped_steps (
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        step TEXT NOT NULL,
        title TEXT,
        PRIMARY KEY (session_id, position)
    );
INSERT INTO "skipped_steps" VALUES('0f1e2d3c4b5a69788796a5b4c3d2e1f0',0,'easy-bridge','Easy bridge');
CREATE INDEX sessions_by_day ON sessions (day, started);
CREATE INDEX sessions_by_routine ON sessions (routine, day, started);
CREATE INDEX skipped_by_step ON skipped_steps (step);
PRAGMA user_version = 1;
COMMIT;
