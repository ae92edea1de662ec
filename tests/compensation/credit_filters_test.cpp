// Credit lines by measure and filter (dealflow/compensation/credit.h):
// new vs repeat business, product, pipeline, the margin field as of closing,
// and the deals credited to nobody (notes).
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "common_fixture.h"
#include "dealflow/compensation/credit.h"
#include "dealflow/pipeline/pipeline_json.h"
#include "four_stage.h"

namespace dealflow::compensation {
namespace {

using analytics::EventLog;
using analytics::StandardDimension;

using common_fixture::kDir;
using common_fixture::kRub;
using four_stage::at;

LoadedPipeline filters_pipeline(const char* id) {
  auto p = parse_pipeline_text(std::string(R"({"id": ")") + id + R"(", "name": "Воронка", "stages": [
      {"id": "A", "name": "Квалификация", "kind": "open", "probability": 0.2},
      {"id": "WON", "name": "Успех", "kind": "won"}, {"id": "LOST", "name": "Провал", "kind": "lost"}]})",
                               std::string(id) + ".json");
  if (!p) throw std::runtime_error(p.status().to_string());
  return std::move(*p);
}
const Pipeline& sales() {
  static const LoadedPipeline p = filters_pipeline("sales");
  return p.pipeline;
}
const Pipeline& partners() {
  static const LoadedPipeline p = filters_pipeline("partners");
  return p.pipeline;
}

CompensationPlan filters_plan() {
  auto p = parse_compensation_plan_text(R"({
    "format": "dealflow.compensation/1", "name": "Фильтры", "currency": "RUB", "utc_offset": "+03:00",
    "team_file": "../plans/sample-team.json", "margin_field": "margin",
    "new_business_values": ["новый", "new"],
    "plans": [{"id": "f", "components": [
      {"id": "new", "filter": {"business": "new"}, "rate": {"type": "flat", "rate": "1%"}},
      {"id": "repeat", "filter": {"business": "repeat"}, "rate": {"type": "flat", "rate": "2%"}},
      {"id": "training", "measure": "margin", "filter": {"product": ["Обучение"]},
       "rate": {"type": "flat", "rate": "10%"}},
      {"id": "partners", "filter": {"pipeline": "partners"}, "rate": {"type": "flat", "rate": "5%"}}]}],
    "participants": [{"manager": "m-ivanova", "assignments": [{"plan": "f", "from": "2024-02-01"}]}]
  })",
                                        "plan.json", kDir);
  if (!p) throw std::runtime_error(p.status().to_string());
  return std::move(*p);
}

DealId won(EventLog& log, const Pipeline& p, const char* key, const char* owner, std::int64_t amount,
           const char* when) {
  DealId d = *log.add_deal(key, log.intern_pipeline(p.id()), at("2024-01-05"), Money(amount, kRub));
  log.set_dimension(d, StandardDimension::manager, owner);
  EXPECT_TRUE(log.append_event(d, at("2024-01-05"), *p.find_stage("A")).ok());
  EXPECT_TRUE(log.append_event(d, at(when), *p.find_stage("WON")).ok());
  return d;
}

const CreditList* find(const Credits& c, const CompensationPlan& p, const std::string& component) {
  for (const CreditList& l : c.lists)
    if (p.plans[l.plan].components[l.component].id == component) return &l;
  return nullptr;
}

std::vector<std::string> deals(const CreditList* l) {
  std::vector<std::string> out;
  if (l != nullptr)
    for (const CreditLine& x : l->lines)
      out.push_back(x.deal + "=" + std::to_string(x.measure.minor_units()));
  return out;
}

TEST(CompensationCreditFilters, BusinessProductPipelineAndMarginAsOfClosing) {
  const CompensationPlan p = filters_plan();
  EventLog log(at("2024-01-01"));
  const auto margin = log.add_dimension("margin");
  const auto business = analytics::to_dimension_id(StandardDimension::business);
  DealId a = won(log, sales(), "A-1", "m-ivanova", 100'000'00, "2024-02-10T10:00:00Z");
  log.set_dimension(a, business, "новый");
  log.set_dimension(a, StandardDimension::product, "Обучение");
  log.set_dimension(a, margin, "30000.00");
  // The margin edited after closing: the value as of closing (30 000.00) is credited.
  ASSERT_TRUE(log.add_dimension_change(a, at("2024-02-20"), margin, "45000.00").ok());
  DealId b = won(log, sales(), "A-2", "m-ivanova", 50'000'00, "2024-02-11T10:00:00Z");
  log.set_dimension(b, business, "повторный");
  log.set_dimension(b, StandardDimension::product, "Обучение");  // no margin: a note
  // Became new business only after closing: repeat as of closing.
  ASSERT_TRUE(log.add_dimension_change(b, at("2024-03-01"), business, "new").ok());
  won(log, partners(), "P-1", "m-ivanova", 20'000'00, "2024-02-12T10:00:00Z");  // no business: repeat
  won(log, sales(), "A-3", "m-popov", 10'000'00, "2024-02-13T10:00:00Z");       // not a participant
  won(log, sales(), "A-0", "m-ivanova", 10'000'00, "2024-01-20T10:00:00Z");     // before her assignment
  won(log, sales(), "A-4", "Неизвестный", 10'000'00, "2024-02-14T10:00:00Z");   // not in the team file
  log.seal();

  const std::vector<const Pipeline*> pipes = {&sales(), &partners()};
  auto c = compute_credits(log, pipes, p, *planning::parse_period("2024-Q1"));
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(deals(find(*c, p, "new")), (std::vector<std::string>{"A-1=10000000"}));
  EXPECT_EQ(deals(find(*c, p, "repeat")), (std::vector<std::string>{"A-2=5000000", "P-1=2000000"}));
  EXPECT_EQ(deals(find(*c, p, "training")), (std::vector<std::string>{"A-1=3000000"}));
  EXPECT_EQ(deals(find(*c, p, "partners")), (std::vector<std::string>{"P-1=2000000"}));
  EXPECT_EQ(find(*c, p, "training")->lines[0].reason, "owner 100% of 30000.00 RUB margin");

  const std::string notes = [&] {
    std::string s;
    for (const std::string& n : c->notes) s += n + "\n";
    return s;
  }();
  EXPECT_NE(notes.find("deal A-2 (owner 100% to m-ivanova): no margin value, uncredited for training"),
            std::string::npos)
      << notes;
  EXPECT_NE(notes.find("deal A-3 (owner 100% to m-popov): not a participant, uncredited"), std::string::npos);
  EXPECT_NE(notes.find("deal A-0 (owner 100% to m-ivanova): no assignment in force on 2024-01-20"),
            std::string::npos);
  EXPECT_NE(notes.find("deal A-4 credits nobody: its owner 'Неизвестный' is not a manager of the team file"),
            std::string::npos);
}

TEST(CompensationCreditFilters, MarginThatIsNotMoneyIsAnError) {
  const CompensationPlan p = filters_plan();
  EventLog log(at("2024-01-01"));
  const auto margin = log.add_dimension("margin");
  DealId a = won(log, sales(), "A-1", "m-ivanova", 100'000'00, "2024-02-10T10:00:00Z");
  log.set_dimension(a, StandardDimension::product, "Обучение");
  log.set_dimension(a, margin, "много");
  log.seal();
  const std::vector<const Pipeline*> pipes = {&sales()};
  auto c = compute_credits(log, pipes, p, *planning::parse_period("2024-Q1"));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "deal A-1: field 'margin' is 'много': expected money");
}

TEST(CompensationCreditFilters, WonAndReopenedInOnePeriodIsNeitherCreditNorReversal) {
  CompensationPlan p = filters_plan();
  p.clawback = ClawbackRule{90};
  EventLog log(at("2024-01-01"));
  DealId a = won(log, sales(), "A-1", "m-ivanova", 100'000'00, "2024-02-10T10:00:00Z");
  ASSERT_TRUE(log.append_event(a, at("2024-02-20T10:00:00Z"), *sales().find_stage("A")).ok());
  log.seal();
  const std::vector<const Pipeline*> pipes = {&sales()};
  auto c = compute_credits(log, pipes, p, *planning::parse_period("2024-Q1"));
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_TRUE(c->direct.empty());
  EXPECT_TRUE(c->reversals.empty());
}

TEST(CompensationCreditFilters, PayoutOnAFieldGivesThePayoutDateOrHolds) {
  CompensationPlan p = filters_plan();
  p.payout = Payout{PayoutOn::field, "invoice_paid_date"};
  EventLog log(at("2024-01-01"));
  const auto paid = log.add_dimension("invoice_paid_date");
  DealId a = won(log, sales(), "A-1", "m-ivanova", 100'000'00, "2024-03-10T10:00:00Z");
  ASSERT_TRUE(log.add_dimension_change(a, at("2024-03-25T10:00:00Z"), paid, "2024-04-05").ok());
  DealId b = won(log, sales(), "A-2", "m-ivanova", 50'000'00, "2024-03-11T10:00:00Z");
  // Paid after the period's end: not known as of Q1's end, the deal is held.
  ASSERT_TRUE(log.add_dimension_change(b, at("2024-04-02T10:00:00Z"), paid, "2024-04-02").ok());
  log.seal();
  const std::vector<const Pipeline*> pipes = {&sales()};
  auto c = compute_credits(log, pipes, p, *planning::parse_period("2024-Q1"));
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  const CreditList* l = find(*c, p, "repeat");
  ASSERT_NE(l, nullptr);
  ASSERT_EQ(l->lines.size(), 2u);  // attainment stays in the closing period
  EXPECT_EQ(l->lines[0].payout_date, Date::parse("2024-04-05").value());
  EXPECT_FALSE(l->lines[1].payout_date.has_value());

  EventLog bad(at("2024-01-01"));
  const auto paid2 = bad.add_dimension("invoice_paid_date");
  DealId x = won(bad, sales(), "A-3", "m-ivanova", 100, "2024-03-10T10:00:00Z");
  bad.set_dimension(x, paid2, "31.02");
  bad.seal();
  auto e = compute_credits(bad, pipes, p, *planning::parse_period("2024-Q1"));
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().message(),
            "deal A-3: field 'invoice_paid_date' is '31.02': expected a date such as 2024-03-31");
}

}  // namespace
}  // namespace dealflow::compensation
