// Business time needs a named calendar (issue 12, section 4): a pipeline whose
// SLA, timed move or escalation is measured in business time and that names
// no "calendar" gets the warning business_time_without_calendar (the engine
// would silently use EngineOptions::calendar, by default Mon–Fri 09:00–18:00
// UTC); "calendar" names the calendar the host gives the engine.
#include <gtest/gtest.h>

#include "dealflow/pipeline/engine.h"
#include "definition_test_util.h"

namespace dealflow {
namespace {

using testing::check_text;
using testing::pipeline_json;

std::vector<const Diagnostic*> calendar_warnings(const PipelineCheck& c) {
  std::vector<const Diagnostic*> out;
  for (const Diagnostic& w : c.report.warnings) {
    if (to_string(w.kind) == "business_time_without_calendar") out.push_back(&w);
  }
  return out;
}

const std::string kBusinessSla =
    R"({"id": "NEW", "kind": "open", "probability": 0.1},
       {"id": "CALL", "kind": "open", "probability": 0.3, "sla": {"limit": "8h", "basis": "business"}},
       {"id": "WON", "kind": "won"}, {"id": "LOST", "kind": "lost"})";

TEST(PipelineCalendar, BusinessSlaWithoutCalendarIsAWarningAtTheSla) {
  const auto c = check_text(pipeline_json(kBusinessSla));
  ASSERT_TRUE(c.report.ok()) << testing::dump(c.report);
  const auto w = calendar_warnings(c);
  ASSERT_EQ(w.size(), 1u) << testing::dump(c.report);
  EXPECT_EQ(w[0]->json_path, "/stages/1/sla");
  EXPECT_EQ(w[0]->offending_id, "CALL");
  EXPECT_NE(w[0]->message.find("Mon–Fri 09:00–18:00 UTC"), std::string::npos) << w[0]->message;
  EXPECT_TRUE(c.pipeline.has_value());  // a warning never fails loading
}

TEST(PipelineCalendar, TheSlaBasisDefaultsToBusiness) {
  const auto c = check_text(pipeline_json(R"({"id": "NEW", "kind": "open", "probability": 0.1,
       "sla": {"limit": "8h"}}, {"id": "WON", "kind": "won"}, {"id": "LOST", "kind": "lost"})"));
  EXPECT_EQ(calendar_warnings(c).size(), 1u) << testing::dump(c.report);
}

TEST(PipelineCalendar, ANamedCalendarSilencesTheWarning) {
  const auto c = check_text(pipeline_json(kBusinessSla, R"("calendar": "Россия 2024")"));
  ASSERT_TRUE(c.report.ok()) << testing::dump(c.report);
  EXPECT_TRUE(calendar_warnings(c).empty()) << testing::dump(c.report);
  ASSERT_TRUE(c.pipeline.has_value());
  EXPECT_EQ(c.pipeline->calendar(), "Россия 2024");
}

TEST(PipelineCalendar, CalendarTimeNeedsNoCalendar) {
  const auto c = check_text(pipeline_json(R"({"id": "NEW", "kind": "open", "probability": 0.1,
       "sla": {"limit": "2d", "basis": "calendar"},
       "on_enter": [{"action": "timed_move", "to": "LOST", "after": "3d", "basis": "calendar"}]},
       {"id": "WON", "kind": "won"}, {"id": "LOST", "kind": "lost"})"));
  ASSERT_TRUE(c.report.ok()) << testing::dump(c.report);
  EXPECT_TRUE(calendar_warnings(c).empty()) << testing::dump(c.report);
}

TEST(PipelineCalendar, BusinessTimedMoveWithoutCalendarIsAWarning) {
  const auto c = check_text(pipeline_json(R"({"id": "NEW", "kind": "open", "probability": 0.1,
       "on_enter": [{"action": "timed_move", "to": "LOST", "after": "16h"}]},
       {"id": "WON", "kind": "won"}, {"id": "LOST", "kind": "lost"})"));
  ASSERT_TRUE(c.report.ok()) << testing::dump(c.report);
  const auto w = calendar_warnings(c);
  ASSERT_EQ(w.size(), 1u) << testing::dump(c.report);
  EXPECT_EQ(w[0]->json_path, "/stages/0/on_enter/0");
}

TEST(PipelineCalendar, AnEmptyCalendarNameIsAnError) {
  const auto c = check_text(pipeline_json(kBusinessSla, R"("calendar": "")"));
  EXPECT_ERROR(c, bad_value, "/calendar", "");
}

Pipeline load_business_sla(const std::string& extra) {
  auto c = check_text(pipeline_json(kBusinessSla, extra));
  EXPECT_TRUE(c.pipeline.has_value()) << testing::dump(c.report);
  return std::move(*c.pipeline);
}

TEST(PipelineCalendar, EngineSaysWhichCalendarItUses) {
  auto plain = Engine::make(load_business_sla(""));
  ASSERT_TRUE(plain.ok()) << plain.status().to_string();
  EXPECT_EQ(plain->calendar().name(), "");  // the default: Mon–Fri 09:00–18:00 UTC
  EXPECT_EQ(plain->calendar().business_duration(*parse_instant("2024-03-01T09:00:00Z"),
                                                *parse_instant("2024-03-04T09:00:00Z")),
            std::chrono::hours(9));  // Friday 09:00 to Monday 09:00

  EngineOptions options;
  options.calendar = BusinessCalendar::always_open();
  auto open = Engine::make(load_business_sla(R"("calendar": "24/7")"), options);
  ASSERT_TRUE(open.ok()) << open.status().to_string();
  EXPECT_EQ(open->calendar().name(), "24/7");
}

TEST(PipelineCalendar, EngineRefusesAnotherCalendarThanThePipelineNames) {
  auto e = Engine::make(load_business_sla(R"("calendar": "Россия 2024")"));  // default calendar given
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), ErrorCode::invalid_argument);
  EXPECT_NE(e.status().message().find("'Россия 2024'"), std::string::npos) << e.status().to_string();
  EXPECT_NE(e.status().message().find("Mon–Fri 09:00–18:00 UTC"), std::string::npos)
      << e.status().to_string();
}

}  // namespace
}  // namespace dealflow
