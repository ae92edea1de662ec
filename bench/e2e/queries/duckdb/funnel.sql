-- dealflow funnel --mode high-water (default), created basis, no period, as of the latest
-- instant in the files (so every event counts): per group and open stage, the deals that
-- reached it. Definition (docs/funnel.md): a deal reaches open stage k when the furthest open
-- stage it entered is k or later, or when its last stage is won (won deals count at every
-- open stage); a deal without history reaches none. Placeholders ({{...}}) are filled in by
-- bench/e2e/run.sh; the filled-in copy is kept in its work folder.
COPY (
  WITH stages(stage, pos, kind) AS (
    VALUES ('NEW', 1, 'open'), ('PREPARATION', 2, 'open'), ('PREPAYMENT_INVOICE', 3, 'open'),
           ('EXECUTING', 4, 'open'), ('FINAL_INVOICE', 5, 'open'),
           ('WON', NULL, 'won'), ('LOSE', NULL, 'lost'), ('APOLOGY', NULL, 'lost')),
  per_deal AS (  -- furthest open stage entered, kind of the last stage (latest event)
    SELECT h.deal_id, max(s.pos) AS hw, arg_max(coalesce(s.kind, 'other'), h.at) AS last_kind
    FROM read_csv('{{HISTORY}}') h LEFT JOIN stages s ON s.stage = h.stage
    GROUP BY h.deal_id),
  deal_level AS (
    SELECT {{GROUP}} AS grp, p.last_kind,
           CASE WHEN p.last_kind = 'won' THEN 5 ELSE coalesce(p.hw, 0) END AS level
    FROM read_csv('{{DEALS}}') d LEFT JOIN per_deal p ON p.deal_id = d.id
    WHERE d.pipeline = '{{PIPELINE}}'),
  groups AS (
    SELECT grp, count(*) AS deals,
           count(*) FILTER (WHERE last_kind = 'won') AS won,
           count(*) FILTER (WHERE last_kind = 'lost') AS lost,
           count(*) FILTER (WHERE level >= 1) AS r1, count(*) FILTER (WHERE level >= 2) AS r2,
           count(*) FILTER (WHERE level >= 3) AS r3, count(*) FILTER (WHERE level >= 4) AS r4,
           count(*) FILTER (WHERE level >= 5) AS r5
    FROM deal_level GROUP BY grp)
  SELECT g.grp AS "group", s.stage,
         CASE s.pos WHEN 1 THEN r1 WHEN 2 THEN r2 WHEN 3 THEN r3 WHEN 4 THEN r4 ELSE r5 END AS reached,
         g.deals, g.won, g.lost
  FROM groups g CROSS JOIN stages s
  WHERE s.pos IS NOT NULL
  ORDER BY g.grp, s.pos
) TO '{{OUT}}' (HEADER);
