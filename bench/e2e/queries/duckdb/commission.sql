-- dealflow commission summary --period P (docs/compensation.md; the plan
-- bench/e2e/fixtures/commission/plan.json): per participant of the quarter P at +03:00
--   credit    = won deals whose credit instant (the entry into the won stage of a run of won
--               events) lies in P and that are still won at P's end; a deal is credited once
--               (its first such run: no clawback rule, one payment per deal); credited to the
--               owner as of the credit instant (field history, else deals.csv), at its amount
--               as of that instant; RUB only;
--   lines     = the participant's credits in order of credit instant, then deal id (as text),
--               each cut into the slices of the marginal tiers 2% / 3% / 4% at 0 / {{TIER_A}} /
--               {{TIER_B}} RUB of the quarter's cumulative won amount; each slice rounded half up
--               to the kopeck;
--   paid      = Σ rounded lines; won_amount = Σ credited amounts.
-- Money is exact: amounts are DECIMAL, summed as integer kopecks (HUGEINT).
-- Placeholders ({{...}}) are filled in by bench/e2e/run.sh.
COPY (
  WITH stages(stage, kind) AS (
    VALUES ('NEW', 'open'), ('PREPARATION', 'open'), ('PREPAYMENT_INVOICE', 'open'),
           ('EXECUTING', 'open'), ('FINAL_INVOICE', 'open'),
           ('WON', 'won'), ('LOSE', 'lost'), ('APOLOGY', 'lost')),
  people(name, id) AS (
    VALUES ('Иванова Анна', 'm-ivanova'), ('Смирнова Ольга', 'm-smirnova'),
           ('Кузнецов Дмитрий', 'm-kuznetsov'), ('Лебедева Мария', 'm-lebedeva'),
           ('Попов Алексей', 'm-popov'), ('Козлов Андрей', 'm-kozlov'),
           ('Морозов Игорь', 'm-morozov'), ('Соколова Елена', 'm-sokolova'),
           ('Фёдоров Павел', 'm-fedorov'), ('Новикова Татьяна', 'm-novikova'),
           ('Волкова Наталья', 'm-volkova'), ('Егоров Максим', 'm-egorov')),
  deals AS (
    SELECT id AS deal_id, CAST(amount AS DECIMAL(18, 2)) AS amount, currency, manager
    FROM read_csv('{{DEALS}}', types = {'amount': 'VARCHAR', 'manager': 'VARCHAR'})
    WHERE pipeline = '{{PIPELINE}}'),
  ev AS (
    SELECT h.deal_id, h."at", s.kind,
           lag(s.kind) OVER (PARTITION BY h.deal_id ORDER BY h."at") AS prev
    FROM read_csv('{{HISTORY}}') h JOIN stages s USING (stage)),
  turns AS (  -- the events where the kind changes: a won run starts or ends
    SELECT deal_id, "at", kind, lead("at") OVER (PARTITION BY deal_id ORDER BY "at") AS next_at
    FROM ev WHERE prev IS NULL OR prev <> kind),
  runs AS (  -- won runs with their local quarter's end (as UTC)
    SELECT deal_id, "at" AS won_at, next_at,
           date_trunc('quarter', timezone('UTC', "at") + INTERVAL 3 HOUR) + INTERVAL 3 MONTH
             - INTERVAL 3 HOUR AS q_end
    FROM turns WHERE kind = 'won'),
  credited AS (  -- the first run still won at its quarter's end
    SELECT deal_id, min(won_at) AS won_at FROM runs
    WHERE next_at IS NULL OR timezone('UTC', next_at) >= q_end
    GROUP BY deal_id
    HAVING min(won_at) >= TIMESTAMPTZ '{{COMM_BEGIN}}' AND min(won_at) < TIMESTAMPTZ '{{COMM_END}}'),
  fc AS (SELECT deal_id, "at", field, value FROM read_csv('{{FIELDS}}', types = {'value': 'VARCHAR'})),
  managers AS (SELECT deal_id, "at", value FROM fc WHERE field = 'manager'),
  amounts AS (SELECT deal_id, "at", value FROM fc WHERE field = 'amount'),
  credits AS (
    SELECT p.id AS participant, c.deal_id, c.won_at,
           CAST(coalesce(CAST(a.value AS DECIMAL(18, 2)), d.amount) * 100 AS BIGINT) AS minor
    FROM credited c
    JOIN deals d USING (deal_id)
    ASOF LEFT JOIN managers m ON m.deal_id = c.deal_id AND c.won_at >= m."at"
    ASOF LEFT JOIN amounts a ON a.deal_id = c.deal_id AND c.won_at >= a."at"
    JOIN people p ON p.name = coalesce(m.value, d.manager)
    WHERE d.currency = 'RUB'),
  cumulative AS (
    SELECT *, sum(minor) OVER (PARTITION BY participant ORDER BY won_at, CAST(deal_id AS VARCHAR)
                               ROWS UNBOUNDED PRECEDING)::HUGEINT AS cum_after
    FROM credits),
  tiers(lo, hi, bp) AS (VALUES (0, {{TIER_A}}00, 200), ({{TIER_A}}00, {{TIER_B}}00, 300), ({{TIER_B}}00, NULL, 400)),
  lines AS (
    SELECT c.participant, c.minor,
           greatest(0, least(c.cum_after, coalesce(t.hi, c.cum_after)) - greatest(c.cum_after - c.minor, t.lo))
             AS slice, t.bp
    FROM cumulative c, tiers t),
  per_line AS (SELECT participant, (slice * bp + 5000) // 10000 AS amount FROM lines WHERE slice > 0),
  won AS (SELECT participant, sum(minor)::HUGEINT AS won, count(*) AS deals FROM credits GROUP BY ALL),
  paid AS (SELECT participant, sum(amount)::HUGEINT AS paid FROM per_line GROUP BY ALL)
  SELECT participant, printf('%d.%02d', won // 100, won % 100) AS won_amount, deals,
         printf('%d.%02d', paid // 100, paid % 100) AS paid
  FROM won JOIN paid USING (participant)
  ORDER BY participant
) TO '{{OUT}}' (HEADER);
