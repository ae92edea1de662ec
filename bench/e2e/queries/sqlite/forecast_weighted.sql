-- dealflow forecast --method weighted --by manager --period P --as-of T: the same job as
-- ../duckdb/forecast_weighted.sql (see there for the definition). Run by bench/e2e/run.sh as:
-- sqlite3 < (this file with {{...}} filled in); the import of the three CSV files is part of
-- the job. Instants are compared as text (one format, YYYY-MM-DDTHH:MM:SSZ, which sorts like
-- time), close dates likewise (YYYY-MM-DD). A field's value as of an instant is taken with
-- SQLite's bare-column rule (a bare column next to a lone max() comes from the row of the
-- maximum). Money: amounts are turned into integer kopecks (round(amount × 100), exact for
-- these magnitudes), summed in 64-bit integers (sum() fails on overflow, never wraps) and
-- Σ amount × p / 10000 is rounded once per total, halves to even.
.mode csv
.import {{DEALS}} deals
.import {{HISTORY}} history
.import {{FIELDS}} field_changes
.headers on
.output {{OUT}}
WITH stages(stage, kind, pct) AS (
  VALUES ('NEW', 'open', 10), ('PREPARATION', 'open', 20), ('PREPAYMENT_INVOICE', 'open', 40),
         ('EXECUTING', 'open', 60), ('FINAL_INVOICE', 'open', 80),
         ('WON', 'won', 100), ('LOSE', 'lost', 0), ('APOLOGY', 'lost', 0)),
ev AS (SELECT deal_id, at, stage FROM history WHERE at <= '{{AS_OF}}'),
last_stage AS (  -- the deal's stage at T: its latest event (bare column)
  SELECT deal_id, stage, max(at) AS at FROM ev GROUP BY deal_id),
fc AS (SELECT deal_id, at, field, value FROM field_changes WHERE at <= '{{AS_OF}}'),
latest AS (  -- each (deal, field) value as of T
  SELECT deal_id, field, value, max(at) AS at FROM fc GROUP BY deal_id, field),
fields_at AS (
  SELECT deal_id,
         max(CASE WHEN field = 'manager' THEN value END) AS manager,
         max(CASE WHEN field = 'amount' THEN value END) AS amount,
         max(CASE WHEN field = 'close_date' THEN value END) AS close_date,
         max(CASE WHEN field = 'probability' THEN value END) AS probability
  FROM latest GROUP BY deal_id),
won AS (  -- the events of deals won at T, with the last event in another stage
  SELECT e.deal_id, e.stage, e.at,
         max(CASE WHEN e.stage <> l.stage THEN e.at END) OVER (PARTITION BY e.deal_id) AS left_at
  FROM ev e JOIN last_stage l ON l.deal_id = e.deal_id JOIN stages s ON s.stage = l.stage
  WHERE s.kind = 'won'),
closing AS (  -- the closing instant: the first event of the final run of the won stage
  SELECT deal_id, min(at) AS closed_at FROM won
  WHERE left_at IS NULL OR at > left_at
  GROUP BY deal_id
  HAVING min(at) >= '{{BEGIN}}'),
owner_at_closing AS (  -- the latest manager change at or before the closing instant
  SELECT c.deal_id, m.value AS manager, max(m.at) AS at
  FROM closing c JOIN fc m ON m.deal_id = c.deal_id AND m.field = 'manager' AND m.at <= c.closed_at
  GROUP BY c.deal_id),
fact_rows AS (
  SELECT coalesce(o.manager, d.manager) AS owner, d.currency,
         CAST(round(coalesce(f.amount, nullif(d.amount, '')) * 100) AS INTEGER) AS minor
  FROM closing c
  JOIN deals d ON d.id = c.deal_id AND d.pipeline = '{{PIPELINE}}'
  LEFT JOIN fields_at f ON f.deal_id = c.deal_id
  LEFT JOIN owner_at_closing o ON o.deal_id = c.deal_id),
open_rows AS (
  SELECT coalesce(f.manager, d.manager) AS owner, d.currency,
         CAST(round(coalesce(f.amount, nullif(d.amount, '')) * 100) AS INTEGER) AS minor,
         coalesce(CAST(round(f.probability * 100) AS INTEGER), s.pct * 100) AS p,
         (f.close_date >= '{{BEGIN_DATE}}' AND f.close_date < '{{END_DATE}}') AS in_period  -- in the period; NULL: not counted
  FROM last_stage l
  JOIN stages s ON s.stage = l.stage AND s.kind = 'open'
  JOIN deals d ON d.id = l.deal_id AND d.pipeline = '{{PIPELINE}}'
  LEFT JOIN fields_at f ON f.deal_id = l.deal_id),
totals AS (
  SELECT owner, currency, sum(minor) AS fact, count(minor) AS fact_deals, 0 AS s, 0 AS open_deals
  FROM fact_rows WHERE minor IS NOT NULL GROUP BY owner, currency
  UNION ALL
  SELECT owner, currency, 0, 0, coalesce(sum(CASE WHEN in_period THEN minor * p END), 0), count(minor)
  FROM open_rows WHERE minor IS NOT NULL GROUP BY owner, currency),
per_scope AS (
  SELECT coalesce(nullif(owner, ''), '(none)') AS scope, currency, sum(fact) AS fact,
         sum(fact_deals) AS fact_deals, sum(s) AS s, sum(open_deals) AS open_deals
  FROM totals GROUP BY 1, 2),
rounded AS (  -- Σ amount × p / 10000, rounded once, halves to even
  SELECT *, s / 10000 + CASE WHEN s % 10000 > 5000 OR (s % 10000 = 5000 AND (s / 10000) % 2 = 1)
                             THEN 1 ELSE 0 END AS expected
  FROM per_scope)
SELECT scope, currency, printf('%d.%02d', fact / 100, fact % 100) AS fact, fact_deals,
       printf('%d.%02d', expected / 100, expected % 100) AS expected, open_deals
FROM rounded
ORDER BY scope = '(none)', scope, currency;
