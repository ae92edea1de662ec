-- An approximation of `dealflow durations` (docs/durations.md), which estimates time in stage
-- and cycle length with Kaplan-Meier (censoring open deals) and adds velocity, stale deals and
-- the transition matrix. Here the SQL tools do the part that costs the same work: per deal
-- the visits of each stage (a run of consecutive events in one stage, ending at the next event
-- in another stage; a running visit is censored at the report instant = the latest instant in
-- the files), then per open stage: visits, completed visits, deals in it now, mean and median
-- (lower middle) of the completed visits in seconds, and the same for created -> close of
-- the closed deals (one row `cycle`). Placeholders ({{...}}) are filled in by bench/e2e/run.sh.
COPY (
  WITH stages(stage, pos, kind) AS (
    VALUES ('NEW', 1, 'open'), ('PREPARATION', 2, 'open'), ('PREPAYMENT_INVOICE', 3, 'open'),
           ('EXECUTING', 4, 'open'), ('FINAL_INVOICE', 5, 'open'),
           ('WON', NULL, 'won'), ('LOSE', NULL, 'lost'), ('APOLOGY', NULL, 'lost')),
  d AS (SELECT id, created_at FROM read_csv('{{DEALS}}') WHERE pipeline = '{{PIPELINE}}'),
  h AS (SELECT h.deal_id, h.at, h.stage, s.kind,
               lag(h.stage) OVER (PARTITION BY h.deal_id ORDER BY h.at) AS prev
        FROM read_csv('{{HISTORY}}') h JOIN d ON d.id = h.deal_id
        LEFT JOIN stages s ON s.stage = h.stage),
  visits AS (  -- one row per visit: its start and the start of the next visit
    SELECT h.deal_id, h.stage, h.kind, h.at AS start,
           lead(h.at) OVER (PARTITION BY h.deal_id ORDER BY h.at) AS stop
    FROM h WHERE prev IS DISTINCT FROM stage),
  per_stage AS (
    SELECT v.stage, count(*) AS visits, count(v.stop) AS completed,
           count(*) FILTER (WHERE v.stop IS NULL) AS in_stage_now,
           round(avg(epoch(v.stop) - epoch(v.start))) AS mean_seconds,
           quantile_disc(epoch(v.stop) - epoch(v.start), 0.5) AS median_seconds
    FROM visits v WHERE v.kind = 'open' GROUP BY v.stage),
  closing AS (  -- closed deals: created -> the start of their last visit (in a won/lost stage)
    SELECT d.id, epoch(v.start) - epoch(d.created_at) AS cycle
    FROM visits v JOIN d ON d.id = v.deal_id
    WHERE v.stop IS NULL AND v.kind IN ('won', 'lost'))
  SELECT p.stage, p.visits, p.completed, p.in_stage_now, p.mean_seconds, p.median_seconds
  FROM per_stage p JOIN stages s ON s.stage = p.stage
  UNION ALL
  SELECT 'cycle', count(*), count(*), NULL, round(avg(cycle)), quantile_disc(cycle, 0.5) FROM closing
  ORDER BY 1
) TO '{{OUT}}' (HEADER);
