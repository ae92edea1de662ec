-- An approximation of `dealflow scorecard --from FROM --to TO` (docs/scorecard.md): per manager,
-- for the period [FROM, TO) and the previous period of the same length, each read as of its
-- own end (only events before its end count): deals taken (created in it), won and lost (the
-- last stage at the period end is won/lost and the deal closed in the period: it entered its
-- final run of won/lost stages then), open at the end, win rate, won amount (sum, average,
-- median) and median created -> won cycle. dealflow adds the splits by business and channel,
-- team totals and ranks. Placeholders ({{...}}) are filled in by bench/e2e/run.sh.
COPY (
  WITH stages(stage, kind) AS (
    VALUES ('NEW', 'open'), ('PREPARATION', 'open'), ('PREPAYMENT_INVOICE', 'open'),
           ('EXECUTING', 'open'), ('FINAL_INVOICE', 'open'),
           ('WON', 'won'), ('LOSE', 'lost'), ('APOLOGY', 'lost')),
  periods(period, pfrom, pto) AS (
    VALUES ('current', TIMESTAMPTZ '{{FROM}}', TIMESTAMPTZ '{{TO}}'),
           ('previous', TIMESTAMPTZ '{{PREV_FROM}}', TIMESTAMPTZ '{{FROM}}')),
  d AS (SELECT id, created_at, CAST(amount AS DECIMAL(18, 2)) AS amount, manager
        FROM read_csv('{{DEALS}}') WHERE pipeline = '{{PIPELINE}}'),
  ev AS (  -- events before each period end, with the deal's last open event by then
    SELECT p.period, h.deal_id, h.at AS t, coalesce(s.kind, 'other') AS kind,
           max(CASE WHEN s.kind = 'open' THEN h.at END) OVER (PARTITION BY p.period, h.deal_id) AS last_open
    FROM read_csv('{{HISTORY}}') h JOIN periods p ON h.at < p.pto
    LEFT JOIN stages s ON s.stage = h.stage),
  outcome AS (  -- per deal and period: the last stage's kind and the closing instant
    SELECT period, deal_id, arg_max(kind, t) AS last_kind,
           min(t) FILTER (WHERE kind <> 'open' AND (last_open IS NULL OR t > last_open)) AS closed_at
    FROM ev GROUP BY period, deal_id),
  rows AS (
    SELECT coalesce(d.manager, '(none)') AS manager, p.period, p.pfrom, d.created_at, d.amount,
           o.last_kind, o.closed_at,
           o.closed_at >= p.pfrom AND o.closed_at < p.pto AS closed_in
    FROM d JOIN periods p ON d.created_at < p.pto
    LEFT JOIN outcome o ON o.deal_id = d.id AND o.period = p.period)
  SELECT manager, period,
         count(*) FILTER (WHERE created_at >= pfrom) AS taken,
         count(*) FILTER (WHERE last_kind = 'won' AND closed_in) AS won,
         count(*) FILTER (WHERE last_kind = 'lost' AND closed_in) AS lost,
         count(*) FILTER (WHERE last_kind IS DISTINCT FROM 'won' AND last_kind IS DISTINCT FROM 'lost') AS open,
         round(won / nullif(won + lost, 0), 6) AS win_rate,
         sum(amount) FILTER (WHERE last_kind = 'won' AND closed_in) AS won_amount,
         round(avg(amount) FILTER (WHERE last_kind = 'won' AND closed_in), 2) AS average_won_amount,
         quantile_disc(amount, 0.5) FILTER (WHERE last_kind = 'won' AND closed_in) AS median_won_amount,
         quantile_disc(epoch(closed_at) - epoch(created_at), 0.5)
             FILTER (WHERE last_kind = 'won' AND closed_in) AS median_cycle_seconds
  FROM rows GROUP BY manager, period
  ORDER BY manager, period
) TO '{{OUT}}' (HEADER);
