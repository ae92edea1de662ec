// Growth of the loaders' checks with input size (issue 9: every check in
// every loader must be linear; docs/performance.md, "Input size limits and
// linear checks"). Each item runs at 1k, 10k and 100k and reports the fitted
// complexity (BigO, RMS): a linear loader shows O(N) and time ratios of about
// 10x per step.
//
//   BM_ParseRules/N        parse_json + parse_rules of a rules file with N rules
//                          (the duplicate-id check was a std::find over a vector:
//                          100 000 rules took about 10 s)
//   BM_ParseRulesLint/N    the same, then lint_rules (what `dealflow lint` does)
//   BM_ParseTeamValues/N   parse_team with one attribute of N values (the
//                          "declared twice" check compared every pair)
//   BM_CsvHeader/N         CsvReader::read_header of a header with N columns
//                          (the duplicate-column check scanned the earlier ones)
//
// Rules: ids r0..r{N-1}, distinct priorities, a region and product condition
// cycling over the 6 x 6 values, single-manager targets over 8 managers.
#include <benchmark/benchmark.h>

#include <string>

#include "dealflow/io/csv.h"
#include "dealflow/io/json.h"
#include "dealflow/routing/lint.h"
#include "dealflow/routing/routing_json.h"

namespace {

using namespace dealflow;
using namespace dealflow::routing;

const char* kTeam = R"({
  "attributes": [
    {"name": "region", "values": ["Москва", "Санкт-Петербург", "Урал", "Сибирь", "Новосибирск", "Томск"],
     "children": {"Сибирь": ["Новосибирск", "Томск"]}},
    {"name": "product", "values": ["CRM", "Телефония", "Аналитика", "Облако", "Хранилище", "Вычисления"]},
    {"name": "tier", "values": ["SMB", "Enterprise"]}
  ],
  "managers": [{"id": "m0"}, {"id": "m1"}, {"id": "m2"}, {"id": "m3"},
               {"id": "m4"}, {"id": "m5"}, {"id": "m6"}, {"id": "m7"}],
  "teams": [{"id": "all", "members": ["m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7"]}]})";

TeamModel team() {
  auto doc = parse_json(kTeam, "team.json");
  auto t = parse_team(JsonReader(*doc, "team.json"));
  if (!t) std::abort();
  return std::move(*t);
}

std::string rules_text(std::size_t n) {
  const char* regions[] = {"Москва", "Санкт-Петербург", "Урал", "Сибирь", "Новосибирск", "Томск"};
  const char* products[] = {"CRM", "Телефония", "Аналитика", "Облако", "Хранилище", "Вычисления"};
  std::string out = "{\"name\": \"big\", \"rules\": [\n";
  for (std::size_t i = 0; i < n; ++i) {
    out += std::string(i ? ",\n" : "") + "{\"id\": \"r" + std::to_string(i) +
           "\", \"priority\": " + std::to_string(i) + ", \"when\": {\"region\": \"" + regions[i % 6] +
           "\", \"product\": \"" + products[(i / 6) % 6] + "\"}, \"target\": {\"manager\": \"m" +
           std::to_string(i % 8) + "\"}}";
  }
  return out + "],\n\"default\": {\"team\": \"all\"}}";
}

void BM_ParseRules(benchmark::State& state) {
  const TeamModel tm = team();
  const std::string text = rules_text(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto doc = parse_json(text, "rules.json");
    auto rules = parse_rules(JsonReader(*doc, "rules.json"), tm);
    if (!rules) state.SkipWithError(rules.status().to_string().c_str());
    benchmark::DoNotOptimize(rules);
  }
  state.SetComplexityN(state.range(0));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

void BM_ParseRulesLint(benchmark::State& state) {
  const TeamModel tm = team();
  const std::string text = rules_text(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto doc = parse_json(text, "rules.json");
    auto rules = parse_rules(JsonReader(*doc, "rules.json"), tm);
    if (!rules) {
      state.SkipWithError(rules.status().to_string().c_str());
      break;
    }
    auto report = lint_rules(tm, *rules);
    if (!report) state.SkipWithError(report.status().to_string().c_str());
    benchmark::DoNotOptimize(report);
  }
  state.SetComplexityN(state.range(0));
}

void BM_ParseTeamValues(benchmark::State& state) {
  std::string text = R"({"attributes": [{"name": "client", "values": [)";
  for (std::int64_t i = 0; i < state.range(0); ++i) text += (i ? ", \"c" : "\"c") + std::to_string(i) + "\"";
  text += R"(]}], "managers": [{"id": "m0"}]})";
  for (auto _ : state) {
    auto doc = parse_json(text, "team.json");
    auto t = parse_team(JsonReader(*doc, "team.json"));
    if (!t) state.SkipWithError(t.status().to_string().c_str());
    benchmark::DoNotOptimize(t);
  }
  state.SetComplexityN(state.range(0));
}

void BM_CsvHeader(benchmark::State& state) {
  std::string text;
  for (std::int64_t i = 0; i < state.range(0); ++i) text += (i ? ",col" : "col") + std::to_string(i);
  text += "\n";
  for (auto _ : state) {
    CsvReader reader = CsvReader::from_text(text, "wide.csv");
    Status s = reader.read_header();
    if (!s.ok()) state.SkipWithError(s.to_string().c_str());
    benchmark::DoNotOptimize(reader);
  }
  state.SetComplexityN(state.range(0));
}

BENCHMARK(BM_ParseRules)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oN);
BENCHMARK(BM_ParseRulesLint)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oN);
BENCHMARK(BM_ParseTeamValues)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oN);
BENCHMARK(BM_CsvHeader)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oN);

}  // namespace

BENCHMARK_MAIN();
