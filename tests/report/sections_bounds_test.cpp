// The charts of the funnel, cohorts, durations and movement sections stay
// inside their viewBox, also with long Cyrillic names and a censoring time far
// after the last close (svg_bounds.h).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dealflow/report/sections.h"
#include "section_support.h"
#include "svg_bounds.h"

namespace dealflow::report {
namespace {

// Each <svg>...</svg> of a section's HTML.
std::vector<std::string> svgs_of(const std::string& html) {
  std::vector<std::string> out;
  for (std::size_t at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1)) {
    const std::size_t end = html.find("</svg>", at);
    if (end == std::string::npos) break;
    out.push_back(html.substr(at, end + 6 - at));
  }
  return out;
}

void expect_inside(const Result<Section>& section, std::size_t charts) {
  ASSERT_TRUE(section.ok()) << section.status().to_string();
  const auto svgs = svgs_of(section->html);
  EXPECT_EQ(svgs.size(), charts);
  for (const auto& svg : svgs) {
    auto doc = xml_support::parse(svg);
    ASSERT_TRUE(doc.ok()) << doc.error;
    for (const auto& problem : svg_bounds::outside(doc)) ADD_FAILURE() << section->id << ": " << problem;
  }
}

const std::string kLong =
    "Согласование условий договора с юридическим отделом клиента и службой безопасности (второй круг)";

TEST(SectionBounds, Funnel) {
  Json funnel = section_support::fixture("funnel_small.json");
  funnel["stages"][1]["name"] = kLong;
  funnel["lost_from"][1]["name"] = kLong;
  funnel["pipeline"]["name"] = kLong;
  expect_inside(funnel_section(funnel, "funnel.json"), 5);
}

TEST(SectionBounds, CohortsAndDurations) {
  Json cohorts = section_support::fixture("cohorts_small.json");
  cohorts["stages"][0]["name"] = kLong;
  expect_inside(cohorts_section(cohorts, "cohorts.json"), 2);
  Json durations = section_support::fixture("durations_small.json");
  durations["stages"][0]["name"] = kLong;
  durations["curves"]["censor_times"].push_back(86400 * 400);
  expect_inside(durations_section(durations, "durations.json"), 3);
}

TEST(SectionBounds, Movement) {
  Json movement = section_support::fixture("movement_small.json");
  movement["currencies"][0]["bars"][1]["label"] = kLong;
  movement["currencies"][0]["bars"][1]["amount"] = "123456789012.34";
  std::vector<DealList> lists;
  expect_inside(movement_section(movement, "movement.json", lists), 2);
}

}  // namespace
}  // namespace dealflow::report
