// Property test: on random pipelines (fixed seed), the Boost.Graph validation and
// the compiled tables agree with a naive re-implementation of the rules
// (matrix policy rules + fixed-point reachability).
#include <random>

#include <gtest/gtest.h>

#include "definition_test_util.h"

namespace dealflow {
namespace {

struct Oracle {
  std::size_t n = 0;
  std::vector<std::vector<bool>> allowed;  // [from][to], reopens included
  std::vector<bool> reachable;             // from the entry stage
  std::vector<bool> reaches_terminal;      // along moves out of open stages
  std::vector<bool> reaches_won;
  std::vector<std::vector<bool>> reaches;  // [open stage][terminal], before closing
};

// Transitive closure over edges out of open stages (deals that have not closed).
std::vector<std::vector<bool>> open_closure(const PipelineSpec& spec,
                                            const std::vector<std::vector<bool>>& allowed) {
  const std::size_t n = spec.stages.size();
  std::vector<std::vector<bool>> r(n, std::vector<bool>(n, false));
  for (std::size_t f = 0; f < n; ++f) {
    if (spec.stages[f].kind != StageKind::open) continue;
    for (std::size_t t = 0; t < n; ++t) r[f][t] = allowed[f][t];
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t a = 0; a < n; ++a) {
      for (std::size_t b = 0; b < n; ++b) {
        if (!r[a][b] || spec.stages[b].kind != StageKind::open) continue;
        for (std::size_t c = 0; c < n; ++c) {
          if (r[b][c] && !r[a][c]) r[a][c] = changed = true;
        }
      }
    }
  }
  return r;
}

Oracle naive(const PipelineSpec& spec) {
  Oracle o;
  o.n = spec.stages.size();
  std::vector<int> pos(o.n, -1);
  int next = 0;
  std::size_t entry = o.n;
  for (std::size_t i = 0; i < o.n; ++i) {
    if (spec.stages[i].kind == StageKind::open) {
      if (entry == o.n) entry = i;
      pos[i] = next++;
    }
  }
  auto index = [&](const std::string& id) {
    for (std::size_t i = 0; i < o.n; ++i)
      if (spec.stages[i].id == id) return i;
    return o.n;
  };
  o.allowed.assign(o.n, std::vector<bool>(o.n, false));
  for (std::size_t f = 0; f < o.n; ++f) {
    if (pos[f] < 0) continue;
    for (std::size_t t = 0; t < o.n; ++t) {
      if (t == f) continue;
      const bool terminal = pos[t] < 0;
      switch (spec.policy) {
        case MovePolicy::free:
          o.allowed[f][t] = true;
          break;
        case MovePolicy::no_skip:
          o.allowed[f][t] = terminal || pos[t] <= pos[f] + 1;
          break;
        case MovePolicy::no_backward:
          o.allowed[f][t] = terminal || pos[t] > pos[f];
          break;
        case MovePolicy::explicit_transitions:
          break;
      }
    }
  }
  for (const auto& tr : spec.transitions) o.allowed[index(tr.from)][index(tr.to)] = true;
  for (const auto& tr : spec.reopens) o.allowed[index(tr.from)][index(tr.to)] = true;

  o.reachable.assign(o.n, false);
  if (entry < o.n) {
    o.reachable[entry] = true;
    for (bool changed = true; changed;) {
      changed = false;
      for (std::size_t f = 0; f < o.n; ++f) {
        if (!o.reachable[f]) continue;
        for (std::size_t t = 0; t < o.n; ++t) {
          if (o.allowed[f][t] && !o.reachable[t]) o.reachable[t] = changed = true;
        }
      }
    }
  }
  o.reaches = open_closure(spec, o.allowed);
  o.reaches_terminal.assign(o.n, false);
  o.reaches_won.assign(o.n, false);
  for (std::size_t s = 0; s < o.n; ++s) {
    for (std::size_t t = 0; t < o.n; ++t) {
      if (!o.reaches[s][t]) continue;
      if (spec.stages[t].kind != StageKind::open) o.reaches_terminal[s] = true;
      if (spec.stages[t].kind == StageKind::won) o.reaches_won[s] = true;
    }
  }
  return o;
}

PipelineSpec random_spec(std::mt19937& rng) {
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  PipelineSpec spec;
  spec.id = "random";
  spec.policy = static_cast<MovePolicy>(uniform(0, 3));
  const int n = uniform(3, 10);
  for (int i = 0; i < n; ++i) {
    // Stage 0 open, 1 won, 2 lost, the rest random; then shuffled.
    const StageKind kind =
        i < 3 ? static_cast<StageKind>(i)
              : (uniform(0, 2) == 0 ? StageKind::open : static_cast<StageKind>(uniform(0, 2)));
    spec.stages.push_back(make_stage("S" + std::to_string(i), "Этап " + std::to_string(i), kind, 0.5));
  }
  std::shuffle(spec.stages.begin(), spec.stages.end(), rng);
  for (int i = 0; i < n; ++i)
    spec.stages[static_cast<std::size_t>(i)].json_path = "/stages/" + std::to_string(i);
  std::vector<std::vector<bool>> declared(static_cast<std::size_t>(n),
                                          std::vector<bool>(static_cast<std::size_t>(n)));
  for (int f = 0; f < n; ++f) {
    for (int t = 0; t < n; ++t) {
      if (f == t) continue;
      const auto& from = spec.stages[static_cast<std::size_t>(f)];
      const auto& to = spec.stages[static_cast<std::size_t>(t)];
      TransitionSpec tr;
      tr.from = from.id;
      tr.to = to.id;
      if (from.kind == StageKind::open && spec.policy == MovePolicy::explicit_transitions &&
          uniform(0, 99) < 30) {
        tr.json_path = "/transitions/" + std::to_string(spec.transitions.size());
        spec.transitions.push_back(tr);
      } else if (from.kind != StageKind::open && uniform(0, 99) < 8) {
        tr.json_path = "/reopens/" + std::to_string(spec.reopens.size());
        spec.reopens.push_back(tr);
      }
    }
  }
  return spec;
}

std::vector<std::string> ids_of(const std::vector<Diagnostic>& list, DiagnosticKind kind) {
  std::vector<std::string> out;
  for (const auto& d : list)
    if (d.kind == kind) out.push_back(d.offending_id);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(PipelineDefinitionProperty, GraphValidationAndTablesMatchANaiveOracle) {
  std::mt19937 rng(20240301);
  int valid = 0;
  for (int iteration = 0; iteration < 300; ++iteration) {
    const PipelineSpec spec = random_spec(rng);
    const Oracle o = naive(spec);
    CompiledPipeline c = compile_pipeline(spec);
    SCOPED_TRACE("iteration " + std::to_string(iteration) + "\n" + testing::dump(c.report));

    std::vector<std::string> unreachable, stuck, doomed;
    for (std::size_t s = 0; s < o.n; ++s) {
      const StageSpec& st = spec.stages[s];
      if (!o.reachable[s]) unreachable.push_back(st.id);
      if (st.kind == StageKind::open && !o.reaches_terminal[s]) stuck.push_back(st.id);
      if (st.kind == StageKind::open && o.reaches_terminal[s] && !o.reaches_won[s]) doomed.push_back(st.id);
    }
    std::sort(unreachable.begin(), unreachable.end());
    std::sort(stuck.begin(), stuck.end());
    std::sort(doomed.begin(), doomed.end());
    ASSERT_EQ(ids_of(c.report.errors, DiagnosticKind::unreachable_stage), unreachable);
    ASSERT_EQ(ids_of(c.report.errors, DiagnosticKind::cannot_reach_terminal), stuck);
    ASSERT_EQ(ids_of(c.report.warnings, DiagnosticKind::cannot_reach_won), doomed);
    ASSERT_EQ(c.report.errors.size(), unreachable.size() + stuck.size());  // nothing else can be wrong
    ASSERT_EQ(c.pipeline.has_value(), c.report.ok());
    if (!c.pipeline) continue;
    ++valid;
    const Pipeline& p = *c.pipeline;
    for (std::size_t f = 0; f < o.n; ++f) {
      const StageId from(static_cast<std::uint16_t>(f));
      std::vector<StageId> successors, terminals;
      for (std::size_t t = 0; t < o.n; ++t) {
        const StageId to(static_cast<std::uint16_t>(t));
        ASSERT_EQ(p.allows(from, to), o.allowed[f][t]) << f << " -> " << t;
        ASSERT_EQ(p.is_reopen(from, to), o.allowed[f][t] && p.is_terminal(from));
        if (o.allowed[f][t]) successors.push_back(to);
        if (o.reaches[f][t] && p.is_terminal(to)) terminals.push_back(to);
      }
      ASSERT_EQ(std::vector<StageId>(p.successors(from).begin(), p.successors(from).end()), successors);
      ASSERT_EQ(std::vector<StageId>(p.reachable_terminals(from).begin(), p.reachable_terminals(from).end()),
                terminals);
    }
  }
  // The generator must exercise both outcomes.
  EXPECT_GT(valid, 30);
  EXPECT_LT(valid, 270);
}

}  // namespace
}  // namespace dealflow
