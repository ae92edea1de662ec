-- The approximation of `dealflow durations` of ../duckdb/durations.sql (see there), in SQLite:
-- import both CSV files, then per open stage the visits, completed visits, deals in it now,
-- mean and median (lower middle) of the completed visits in seconds, and a `cycle` row.
.mode csv
.import {{DEALS}} deals
.import {{HISTORY}} history
.headers on
.output {{OUT}}
WITH stages(stage, pos, kind) AS (
  VALUES ('NEW', 1, 'open'), ('PREPARATION', 2, 'open'), ('PREPAYMENT_INVOICE', 3, 'open'),
         ('EXECUTING', 4, 'open'), ('FINAL_INVOICE', 5, 'open'),
         ('WON', NULL, 'won'), ('LOSE', NULL, 'lost'), ('APOLOGY', NULL, 'lost')),
d AS (SELECT id, created_at FROM deals WHERE pipeline = '{{PIPELINE}}'),
h AS (SELECT h.deal_id, h.at, h.stage, s.kind,
             lag(h.stage) OVER (PARTITION BY h.deal_id ORDER BY h.at) AS prev
      FROM history h JOIN d ON d.id = h.deal_id
      LEFT JOIN stages s ON s.stage = h.stage),
visits AS (  -- one row per visit: its start and the start of the next visit
  SELECT h.deal_id, h.stage, h.kind, h.at AS start,
         lead(h.at) OVER (PARTITION BY h.deal_id ORDER BY h.at) AS stop
  FROM h WHERE prev IS DISTINCT FROM stage),
obs AS (  -- completed visits of open stages and cycles of closed deals, ranked for the median
  SELECT key, seconds, row_number() OVER (PARTITION BY key ORDER BY seconds) AS rn,
         count(*) OVER (PARTITION BY key) AS n
  FROM (SELECT stage AS key, unixepoch(stop) - unixepoch(start) AS seconds
        FROM visits WHERE kind = 'open' AND stop IS NOT NULL
        UNION ALL
        SELECT 'cycle', unixepoch(v.start) - unixepoch(d.created_at)
        FROM visits v JOIN d ON d.id = v.deal_id
        WHERE v.stop IS NULL AND v.kind IN ('won', 'lost'))),
per_stage AS (
  SELECT stage, count(*) AS visits, count(*) FILTER (WHERE stop IS NULL) AS in_stage_now
  FROM visits WHERE kind = 'open' GROUP BY stage)
SELECT o.key AS stage, coalesce(p.visits, count(*)) AS visits, count(*) AS completed,
       p.in_stage_now, round(avg(o.seconds)) AS mean_seconds,
       max(CASE WHEN o.rn = (o.n + 1) / 2 THEN o.seconds END) AS median_seconds
FROM obs o LEFT JOIN per_stage p ON p.stage = o.key
GROUP BY o.key
ORDER BY 1;
