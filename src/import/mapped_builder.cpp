#include "import/mapped_builder.h"

#include <algorithm>

namespace dealflow::import::detail {

BuiltDeal* ExportBuilder::find_deal(std::string_view id) {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &deals_[it->second];
}

bool ExportBuilder::add_deal(BuiltDeal deal) {
  if (index_.count(deal.id)) return false;
  index_.emplace(deal.id, deals_.size());
  deals_.push_back(std::move(deal));
  return true;
}

void ExportBuilder::add_event(std::string_view deal_id, Instant at, std::string stage, std::string pipeline,
                              std::string actor) {
  auto it = index_.find(deal_id);
  if (it == index_.end()) return;
  events_.push_back(
      {it->second, at, std::move(stage), std::move(pipeline), std::move(actor), events_.size()});
}

void ExportBuilder::add_change(std::string_view deal_id, Instant at, std::string field, std::string value,
                               std::string currency) {
  auto it = index_.find(deal_id);
  if (it == index_.end()) return;
  changes_.push_back(
      {it->second, at, std::move(field), std::move(value), std::move(currency), changes_.size()});
}

CanonicalPipeline* ExportBuilder::find_pipeline(std::string_view id) {
  for (auto& p : pipelines_)
    if (p.id == id) return &p;
  return nullptr;
}

namespace {

const CanonicalStage* find_stage(const CanonicalPipeline* p, std::string_view id) {
  if (!p) return nullptr;
  for (const auto& s : p->stages)
    if (s.id == id) return &s;
  return nullptr;
}

}  // namespace

CanonicalExport ExportBuilder::finish() {
  CanonicalExport out;
  auto by_deal_time = [](const auto& a, const auto& b) {
    if (a.deal != b.deal) return a.deal < b.deal;
    if (a.at != b.at) return a.at < b.at;
    return a.seq < b.seq;
  };
  std::stable_sort(events_.begin(), events_.end(), by_deal_time);
  std::stable_sort(changes_.begin(), changes_.end(), by_deal_time);

  // closed_at: the start of the final run of won/lost stages, unless the CRM gave it.
  for (std::size_t i = 0; i < events_.size();) {
    std::size_t j = i;
    std::optional<Instant> closed;
    for (; j < events_.size() && events_[j].deal == events_[i].deal; ++j) {
      const Event& e = events_[j];
      const CanonicalStage* st = find_stage(find_pipeline(e.pipeline), e.stage);
      if (!st || st->kind == "open")
        closed.reset();
      else if (!closed)
        closed = e.at;
    }
    BuiltDeal& d = deals_[events_[i].deal];
    if (closed && !d.values.count("closed_at")) d.values["closed_at"] = iso(*closed);
    i = j;
  }

  std::vector<std::map<std::string, std::string>> rows;
  for (const auto& d : deals_) {
    std::map<std::string, std::string> row = d.values;
    row["id"] = d.id;
    row["created_at"] = iso(d.created_at);
    row["pipeline"] = d.pipeline;
    if (!d.amount.empty()) {
      row["amount"] = d.amount;
      row["currency"] = d.currency;
    }
    rows.push_back(std::move(row));
  }
  out.deals = make_deals_table(rows);

  out.history.columns = {"deal_id", "at", "stage", "pipeline", "actor"};
  for (const auto& e : events_)
    out.history.rows.push_back({deals_[e.deal].id, iso(e.at), e.stage, e.pipeline, e.actor});

  // A change to the value the field already has (in time order) is no change.
  bool any_currency = false;
  std::map<std::pair<std::size_t, std::string>, std::pair<std::string, std::string>> last;
  std::vector<const Change*> kept;
  for (const auto& c : changes_) {
    auto value = std::make_pair(c.value, c.currency);
    auto [it, fresh] = last.try_emplace({c.deal, c.field}, value);
    if (!fresh) {
      if (it->second == value) continue;
      it->second = value;
    }
    kept.push_back(&c);
    any_currency = any_currency || !c.currency.empty();
  }
  out.field_changes.columns = {"deal_id", "at", "field", "value"};
  if (any_currency) out.field_changes.columns.push_back("currency");
  for (const Change* c : kept) {
    std::vector<std::string> row = {deals_[c->deal].id, iso(c->at), c->field, c->value};
    if (any_currency) row.push_back(c->currency);
    out.field_changes.rows.push_back(std::move(row));
  }

  out.pipelines = std::move(pipelines_);
  out.report = std::move(report_);
  finish_export(out);
  return out;
}

Result<std::string> percent_from_fraction(std::string_view text) {
  const std::string_view t = trim_blank(text);
  auto bad = [&] {
    return Status(ErrorCode::parse_error, "invalid probability '" + std::string(text) +
                                              "': expected a fraction from 0 to 1 such as 0.2");
  };
  std::size_t i = 0;
  std::string int_part, frac;
  for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i) int_part.push_back(t[i]);
  if (i < t.size() && t[i] == '.') {
    for (++i; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i) frac.push_back(t[i]);
  }
  if (i != t.size() || (int_part.empty() && frac.empty())) return bad();
  frac.append(frac.size() < 2 ? 2 - frac.size() : 0, '0');
  std::string shifted = int_part + frac.substr(0, 2);
  if (frac.size() > 2) shifted += "." + frac.substr(2);
  auto p = normalize_percent(shifted);
  if (!p) return bad();
  return p;
}

Status check_date_format(std::string_view format) {
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    if (i + 1 >= format.size() || std::string_view("YmdHMS%").find(format[i + 1]) == std::string_view::npos)
      return Status(ErrorCode::validation_failed,
                    "unsupported date format '" + std::string(format) +
                        "': expected %Y %m %d %H %M %S %% and literal characters");
    ++i;
  }
  return {};
}

std::string slug(std::string_view text) {
  std::string out;
  bool gap = false;
  for (char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c >= 0x80;
    if (!keep) {
      gap = !out.empty();
      continue;
    }
    if (gap) out.push_back('_');
    gap = false;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : ch);
  }
  return out.empty() ? "pipeline" : out;
}

Status json_error(const std::string& file, const std::string& path, std::string message) {
  return Status(ErrorCode::parse_error, std::move(message), Location{file, 0, 0, path});
}

std::string_view trim_blank(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace dealflow::import::detail
