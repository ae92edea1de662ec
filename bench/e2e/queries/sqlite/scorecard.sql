-- The approximation of `dealflow scorecard` of ../duckdb/scorecard.sql (see there), in SQLite:
-- import both CSV files, then per manager and period (current, previous) taken, won, lost,
-- open, win rate, won amount (sum, average, median) and median created -> won cycle.
-- Instants are compared as text (one format in the files: YYYY-MM-DDTHH:MM:SSZ).
.mode csv
.import {{DEALS}} deals
.import {{HISTORY}} history
.headers on
.output {{OUT}}
WITH stages(stage, kind) AS (
  VALUES ('NEW', 'open'), ('PREPARATION', 'open'), ('PREPAYMENT_INVOICE', 'open'),
         ('EXECUTING', 'open'), ('FINAL_INVOICE', 'open'),
         ('WON', 'won'), ('LOSE', 'lost'), ('APOLOGY', 'lost')),
periods(period, pfrom, pto) AS (
  VALUES ('current', '{{FROM}}', '{{TO}}'), ('previous', '{{PREV_FROM}}', '{{FROM}}')),
d AS (SELECT id, created_at, CAST(round(CAST(amount AS REAL) * 100) AS INTEGER) AS cents,
             coalesce(nullif(manager, ''), '(none)') AS manager
      FROM deals WHERE pipeline = '{{PIPELINE}}'),
ev AS (  -- events before each period end, with the deal's last open event by then
  SELECT p.period, h.deal_id, h.at, coalesce(s.kind, 'other') AS kind,
         max(CASE WHEN s.kind = 'open' THEN h.at END) OVER (PARTITION BY p.period, h.deal_id) AS last_open
  FROM history h JOIN periods p ON h.at < p.pto
  LEFT JOIN stages s ON s.stage = h.stage),
outcome AS (  -- per deal and period: the last stage's kind ("at|kind", max of the text), closing
  SELECT period, deal_id, substr(max(at || '|' || kind), length(max(at)) + 2) AS last_kind,
         min(at) FILTER (WHERE kind <> 'open' AND (last_open IS NULL OR at > last_open)) AS closed_at
  FROM ev GROUP BY period, deal_id),
r AS (
  SELECT d.manager, p.period, p.pfrom, d.created_at, d.cents, o.last_kind, o.closed_at,
         o.last_kind = 'won' AND o.closed_at >= p.pfrom AND o.closed_at < p.pto AS won_in,
         o.last_kind = 'lost' AND o.closed_at >= p.pfrom AND o.closed_at < p.pto AS lost_in
  FROM d JOIN periods p ON d.created_at < p.pto
  LEFT JOIN outcome o ON o.deal_id = d.id AND o.period = p.period),
won AS (  -- won deals ranked by amount and by cycle, for the lower medians
  SELECT manager, period, cents,
         unixepoch(closed_at) - unixepoch(created_at) AS cycle,
         row_number() OVER (PARTITION BY manager, period ORDER BY cents) AS rn_amount,
         row_number() OVER (PARTITION BY manager, period
                            ORDER BY unixepoch(closed_at) - unixepoch(created_at)) AS rn_cycle,
         count(*) OVER (PARTITION BY manager, period) AS n
  FROM r WHERE won_in),
medians AS (
  SELECT manager, period,
         max(CASE WHEN rn_amount = (n + 1) / 2 THEN cents END) AS median_cents,
         max(CASE WHEN rn_cycle = (n + 1) / 2 THEN cycle END) AS median_cycle
  FROM won GROUP BY manager, period),
totals AS (
  SELECT manager, period,
         count(*) FILTER (WHERE created_at >= pfrom) AS taken,
         count(*) FILTER (WHERE won_in) AS won, count(*) FILTER (WHERE lost_in) AS lost,
         count(*) FILTER (WHERE last_kind IS NULL OR last_kind NOT IN ('won', 'lost')) AS open,
         sum(cents) FILTER (WHERE won_in) AS won_cents
  FROM r GROUP BY manager, period)
SELECT t.manager, t.period, t.taken, t.won, t.lost, t.open,
       round(CAST(t.won AS REAL) / nullif(t.won + t.lost, 0), 6) AS win_rate,
       printf('%.2f', t.won_cents / 100.0) AS won_amount,
       printf('%.2f', round(CAST(t.won_cents AS REAL) / nullif(t.won, 0)) / 100.0) AS average_won_amount,
       printf('%.2f', m.median_cents / 100.0) AS median_won_amount,
       m.median_cycle AS median_cycle_seconds
FROM totals t LEFT JOIN medians m ON m.manager = t.manager AND m.period = t.period
ORDER BY t.manager, t.period;
