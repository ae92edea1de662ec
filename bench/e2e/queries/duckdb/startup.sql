-- Process start only (node, the @duckdb/node-api package, an in-memory database): the fixed
-- cost inside every DuckDB time of bench/e2e/run.sh, printed as its own row.
SELECT 1;
