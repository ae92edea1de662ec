-- dealflow commission summary --period P: the same job as ../duckdb/commission.sql (see there
-- for the definition). Run by bench/e2e/run.sh as sqlite3 < (this file with {{...}} filled
-- in); the import of the three CSV files is part of the job. Instants are compared as text
-- (YYYY-MM-DDTHH:MM:SSZ sorts like time); a value as of an instant is taken with SQLite's
-- bare-column rule (a bare column next to a lone max() comes from the row of the maximum).
-- Money: integer kopecks (round(amount × 100), exact for these magnitudes), 64-bit sums.
.mode csv
.import {{DEALS}} deals
.import {{HISTORY}} history
.import {{FIELDS}} field_changes
.headers on
.output {{OUT}}
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
ev AS (
  SELECT h.deal_id, h.at, s.kind,
         lag(s.kind) OVER (PARTITION BY h.deal_id ORDER BY h.at) AS prev
  FROM history h JOIN stages s ON s.stage = h.stage),
turns AS (  -- the events where the kind changes: a won run starts or ends
  SELECT deal_id, at, kind, lead(at) OVER (PARTITION BY deal_id ORDER BY at) AS next_at
  FROM ev WHERE prev IS NULL OR prev <> kind),
runs AS (  -- won runs with their local quarter's end (+03:00) as a UTC instant
  SELECT deal_id, at AS won_at, next_at,
         strftime('%Y-%m-%dT%H:%M:%SZ',
                  strftime('%Y-', datetime(at, '+3 hours')) ||
                    printf('%02d', ((CAST(strftime('%m', datetime(at, '+3 hours')) AS INTEGER) - 1) / 3) * 3 + 1) ||
                    '-01',
                  '+3 months', '-3 hours') AS q_end
  FROM turns WHERE kind = 'won'),
credited AS (  -- the first run still won at its quarter's end
  SELECT deal_id, min(won_at) AS won_at FROM runs
  WHERE next_at IS NULL OR next_at >= q_end
  GROUP BY deal_id
  HAVING min(won_at) >= '{{COMM_BEGIN}}' AND min(won_at) < '{{COMM_END}}'),
owner_at AS (
  SELECT c.deal_id, m.value AS manager, max(m.at) AS at
  FROM credited c JOIN field_changes m ON m.deal_id = c.deal_id AND m.field = 'manager' AND m.at <= c.won_at
  GROUP BY c.deal_id),
amount_at AS (
  SELECT c.deal_id, m.value AS amount, max(m.at) AS at
  FROM credited c JOIN field_changes m ON m.deal_id = c.deal_id AND m.field = 'amount' AND m.at <= c.won_at
  GROUP BY c.deal_id),
credits AS (
  SELECT p.id AS participant, c.deal_id, c.won_at,
         CAST(round(coalesce(a.amount, nullif(d.amount, '')) * 100) AS INTEGER) AS minor
  FROM credited c
  JOIN deals d ON d.id = c.deal_id AND d.pipeline = '{{PIPELINE}}' AND d.currency = 'RUB'
  LEFT JOIN owner_at o ON o.deal_id = c.deal_id
  LEFT JOIN amount_at a ON a.deal_id = c.deal_id
  JOIN people p ON p.name = coalesce(o.manager, d.manager)),
cumulative AS (
  SELECT *, sum(minor) OVER (PARTITION BY participant ORDER BY won_at, deal_id
                             ROWS UNBOUNDED PRECEDING) AS cum_after
  FROM credits),
tiers(lo, hi, bp) AS (VALUES (0, {{TIER_A}}00, 200), ({{TIER_A}}00, {{TIER_B}}00, 300), ({{TIER_B}}00, NULL, 400)),
lines AS (
  SELECT c.participant,
         max(0, min(c.cum_after, coalesce(t.hi, c.cum_after)) - max(c.cum_after - c.minor, t.lo)) AS slice, t.bp
  FROM cumulative c, tiers t),
per_line AS (SELECT participant, (slice * bp + 5000) / 10000 AS amount FROM lines WHERE slice > 0),
won AS (SELECT participant, sum(minor) AS won, count(*) AS deals FROM credits GROUP BY participant),
paid AS (SELECT participant, sum(amount) AS paid FROM per_line GROUP BY participant)
SELECT participant, printf('%d.%02d', won / 100, won % 100) AS won_amount, deals,
       printf('%d.%02d', paid / 100, paid % 100) AS paid
FROM won JOIN paid USING (participant)
ORDER BY participant;
