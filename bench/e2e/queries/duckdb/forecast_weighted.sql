-- dealflow forecast --method weighted --by manager --period P --as-of T (docs/forecasting.md
-- "weighted", "The pipeline at an instant"; planning/pipeline_state.h): per owner and currency
--   fact     = Σ amount (as of T) of deals whose latest stage at T is won and whose closing
--              instant (first event of that final run of the won stage) lies in [{{BEGIN}}, T],
--              credited to the owner as of the closing instant;
--   expected = round_half_even(Σ amount_minor × p_hundredths / 10000) over deals open at T
--              (latest stage event <= T is an open stage) whose expected close date as of T is
--              before {{END_DATE}}; p = the deal's own probability as of T (percent), else the
--              stage default; grouped by the owner as of T;
--   fact_deals, open_deals = the won deals counted, the open deals at T with an amount (any
--              close date), as in dealflow's CSV.
-- A field's value as of an instant is its latest change at or before it (field_changes.csv),
-- else the deals.csv column. Money is exact: amounts are read as DECIMAL, summed as integer
-- kopecks (HUGEINT) and rounded once per total. Only events and changes <= T are read.
-- Placeholders ({{...}}) are filled in by bench/e2e/run.sh.
COPY (
  WITH stages(stage, kind, pct) AS (
    VALUES ('NEW', 'open', 10), ('PREPARATION', 'open', 20), ('PREPAYMENT_INVOICE', 'open', 40),
           ('EXECUTING', 'open', 60), ('FINAL_INVOICE', 'open', 80),
           ('WON', 'won', 100), ('LOSE', 'lost', 0), ('APOLOGY', 'lost', 0)),
  deals AS (
    SELECT id AS deal_id, CAST(amount AS DECIMAL(18, 2)) AS amount, currency, manager
    FROM read_csv('{{DEALS}}', types = {'amount': 'VARCHAR', 'manager': 'VARCHAR'})
    WHERE pipeline = '{{PIPELINE}}'),
  ev AS (  -- stage events up to T
    SELECT h.deal_id, h."at", h.stage
    FROM read_csv('{{HISTORY}}') h
    WHERE h."at" <= TIMESTAMPTZ '{{AS_OF}}'),
  last_stage AS (  -- the deal's stage at T: its latest event
    SELECT deal_id, arg_max(stage, "at") AS stage FROM ev GROUP BY deal_id),
  fc AS (  -- field changes up to T
    SELECT deal_id, "at", field, value
    FROM read_csv('{{FIELDS}}', types = {'value': 'VARCHAR'})
    WHERE "at" <= TIMESTAMPTZ '{{AS_OF}}'),
  fields_at AS (  -- each field's value as of T
    SELECT deal_id,
           arg_max(value, "at") FILTER (WHERE field = 'manager') AS manager,
           arg_max(value, "at") FILTER (WHERE field = 'amount') AS amount,
           arg_max(value, "at") FILTER (WHERE field = 'close_date') AS close_date,
           arg_max(value, "at") FILTER (WHERE field = 'probability') AS probability
    FROM fc GROUP BY deal_id),
  won AS (  -- the events of deals won at T, with the last event in another stage
    SELECT e.deal_id, e.stage, e."at",
           max(CASE WHEN e.stage <> l.stage THEN e."at" END) OVER (PARTITION BY e.deal_id) AS left_at
    FROM ev e JOIN last_stage l USING (deal_id) JOIN stages s ON s.stage = l.stage
    WHERE s.kind = 'won'),
  closing AS (  -- the closing instant: the first event of the final run of the won stage
    SELECT deal_id, min("at") AS closed_at FROM won
    WHERE left_at IS NULL OR "at" > left_at
    GROUP BY deal_id
    HAVING min("at") >= TIMESTAMPTZ '{{BEGIN}}'),
  managers AS (SELECT deal_id, "at", value FROM fc WHERE field = 'manager'),
  fact_rows AS (  -- owner as of the closing instant (ASOF JOIN), amount as of T
    SELECT coalesce(m.value, d.manager) AS owner, d.currency,
           CAST(coalesce(CAST(f.amount AS DECIMAL(18, 2)), d.amount) * 100 AS BIGINT) AS minor
    FROM closing w
    JOIN deals d USING (deal_id)
    LEFT JOIN fields_at f USING (deal_id)
    ASOF LEFT JOIN managers m ON m.deal_id = w.deal_id AND w.closed_at >= m."at"),
  open_rows AS (
    SELECT coalesce(f.manager, d.manager) AS owner, d.currency,
           CAST(coalesce(CAST(f.amount AS DECIMAL(18, 2)), d.amount) * 100 AS BIGINT) AS minor,
           coalesce(CAST(round(CAST(f.probability AS DECIMAL(9, 4)) * 100) AS BIGINT), s.pct * 100) AS p,
           (f.close_date >= '{{BEGIN_DATE}}' AND f.close_date < '{{END_DATE}}') AS in_period  -- in the period; NULL: not counted
    FROM last_stage l
    JOIN stages s ON s.stage = l.stage AND s.kind = 'open'
    JOIN deals d USING (deal_id)
    LEFT JOIN fields_at f USING (deal_id)),
  totals AS (
    SELECT owner, currency, sum(minor)::HUGEINT AS fact, count(minor) AS fact_deals,
           NULL::HUGEINT AS weighted, 0 AS open_deals
    FROM fact_rows WHERE minor IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT owner, currency, 0, 0, coalesce(sum(minor::HUGEINT * p) FILTER (WHERE in_period), 0), count(minor)
    FROM open_rows WHERE minor IS NOT NULL GROUP BY ALL),
  per_scope AS (
    SELECT coalesce(nullif(owner, ''), '(none)') AS scope, currency, sum(fact)::HUGEINT AS fact,
           sum(fact_deals) AS fact_deals, coalesce(sum(weighted), 0)::HUGEINT AS s, sum(open_deals) AS open_deals
    FROM totals GROUP BY ALL),
  rounded AS (  -- Σ amount × p / 10000, rounded once, halves to even
    SELECT *, s // 10000 + CASE WHEN s % 10000 > 5000 OR (s % 10000 = 5000 AND (s // 10000) % 2 = 1)
                                THEN 1 ELSE 0 END AS expected
    FROM per_scope)
  SELECT scope, currency,
         printf('%d.%02d', fact // 100, fact % 100) AS fact, fact_deals,
         printf('%d.%02d', expected // 100, expected % 100) AS expected, open_deals
  FROM rounded
  ORDER BY scope = '(none)', scope, currency
) TO '{{OUT}}' (HEADER);
