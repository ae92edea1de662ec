// Runs one SQL file in DuckDB through @duckdb/node-api with a given thread count.
// usage: node duckdb_run.cjs NODE_PREFIX QUERY.sql THREADS
// NODE_PREFIX is the folder given to `npm install --prefix` (bench/e2e/run.sh). The
// query is run as written; it writes its result itself (COPY ... TO), so the time
// measured around this process is the user's whole job: start, read the CSVs, compute,
// write the result.
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

async function main() {
  const [prefix, queryFile, threads] = process.argv.slice(2);
  if (!prefix || !queryFile || !/^[0-9]+$/.test(threads || '')) {
    console.error('usage: node duckdb_run.cjs NODE_PREFIX QUERY.sql THREADS');
    process.exit(2);
  }
  const load = createRequire(path.join(path.resolve(prefix), 'package.json'));
  const { DuckDBInstance } = load('@duckdb/node-api');
  const sql = fs.readFileSync(queryFile, 'utf8');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`SET threads = ${threads}`);
  await connection.run(sql);
  connection.closeSync();
}

main().catch((e) => {
  console.error(`duckdb: ${e.message}`);
  process.exit(1);
});
