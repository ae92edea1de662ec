-- dealflow funnel --mode high-water (default), created basis, no period, as of the latest
-- instant in the files: the same job as ../duckdb/funnel.sql (see there for the definition).
-- Run by bench/e2e/run.sh as: sqlite3 < (this file with {{...}} filled in); the import of both
-- CSV files is part of the job. Instants are compared as text: the files use one format
-- (YYYY-MM-DDTHH:MM:SSZ), which sorts like time.
.mode csv
.import {{DEALS}} deals
.import {{HISTORY}} history
.headers on
.output {{OUT}}
WITH stages(stage, pos, kind) AS (
  VALUES ('NEW', 1, 'open'), ('PREPARATION', 2, 'open'), ('PREPAYMENT_INVOICE', 3, 'open'),
         ('EXECUTING', 4, 'open'), ('FINAL_INVOICE', 5, 'open'),
         ('WON', NULL, 'won'), ('LOSE', NULL, 'lost'), ('APOLOGY', NULL, 'lost')),
per_deal AS (  -- furthest open stage entered; the last event as "at|kind" (max of the text)
  SELECT h.deal_id, max(s.pos) AS hw,
         substr(max(h.at || '|' || coalesce(s.kind, 'other')), length(max(h.at)) + 2) AS last_kind
  FROM history h LEFT JOIN stages s ON s.stage = h.stage
  GROUP BY h.deal_id),
deal_level AS (
  SELECT {{GROUP}} AS grp, p.last_kind,
         CASE WHEN p.last_kind = 'won' THEN 5 ELSE coalesce(p.hw, 0) END AS level
  FROM deals d LEFT JOIN per_deal p ON p.deal_id = d.id
  WHERE d.pipeline = '{{PIPELINE}}'),
groups AS (
  SELECT grp, count(*) AS deals,
         count(*) FILTER (WHERE last_kind = 'won') AS won,
         count(*) FILTER (WHERE last_kind = 'lost') AS lost,
         count(*) FILTER (WHERE level >= 1) AS r1, count(*) FILTER (WHERE level >= 2) AS r2,
         count(*) FILTER (WHERE level >= 3) AS r3,
         count(*) FILTER (WHERE level >= 4) AS r4, count(*) FILTER (WHERE level >= 5) AS r5
  FROM deal_level GROUP BY grp)
SELECT g.grp AS "group", s.stage,
       CASE s.pos WHEN 1 THEN r1 WHEN 2 THEN r2 WHEN 3 THEN r3 WHEN 4 THEN r4 ELSE r5 END AS reached,
       g.deals, g.won, g.lost
FROM groups g CROSS JOIN stages s
WHERE s.pos IS NOT NULL
ORDER BY g.grp, s.pos;
