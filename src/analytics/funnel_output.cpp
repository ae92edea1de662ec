#include "dealflow/analytics/funnel_output.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <ostream>

#include <nlohmann/detail/conversions/to_chars.hpp>

#include "dealflow/io/csv.h"
#include "dealflow/io/table.h"
#include "analytics/output_text.h"

namespace dealflow::analytics {
namespace {

Json rate_value(const Rate& r) {
  return r.value ? Json(*r.value) : Json(nullptr);
}

Json interval_json(const Rate& r) {
  if (!r.interval) return nullptr;
  return Json{{"low", r.interval->low}, {"high", r.interval->high}};
}

// `name`, `name_interval`, `name_numerator`, `name_denominator`; all null when
// the rate does not apply (first stage's step, snapshot, won_of_created on the
// closed basis).
void put_rate(Json& j, const std::string& name, const Rate* r) {
  j[name] = r ? rate_value(*r) : Json(nullptr);
  j[name + "_interval"] = r ? interval_json(*r) : Json(nullptr);
  j[name + "_numerator"] = r ? Json(r->numerator) : Json(nullptr);
  j[name + "_denominator"] = r ? Json(r->denominator) : Json(nullptr);
}

Json money_list_json(const std::vector<Money>& amounts) {
  Json out = Json::array();
  for (const Money& m : amounts)
    out.push_back(detail::money_json(m));
  return out;
}

Json amount_rates_json(const std::vector<AmountRate>& rates) {
  Json out = Json::array();
  for (const AmountRate& r : rates) {
    out.push_back(Json{{"currency", r.numerator.currency().code()},
                       {"value", r.value ? Json(*r.value) : Json(nullptr)},
                       {"numerator", r.numerator.format_amount()},
                       {"denominator", r.denominator.format_amount()}});
  }
  return out;
}

Json figures_json(const FunnelFigures& f, bool snapshot) {
  Json j;
  j["deals"] = f.deals;
  j["won"] = f.won;
  j["lost"] = f.lost;
  j["open"] = f.open;
  j["without_history"] = f.without_history;
  put_rate(j, "win_rate", &f.win_rate);
  j["win_rate_by_amount"] = amount_rates_json(f.win_rate_by_amount);
  put_rate(j, "won_of_created", f.won_of_created ? &*f.won_of_created : nullptr);
  j["won_amount"] = money_list_json(f.won_amount);
  j["lost_amount"] = money_list_json(f.lost_amount);
  j["open_amount"] = money_list_json(f.open_amount);
  Json stages = Json::array();
  for (std::size_t k = 0; k < f.stages.size(); ++k) {
    const FunnelStageRow& s = f.stages[k];
    Json row{{"id", s.id}, {"name", s.name}, {"reached", s.reached}};
    put_rate(row, "step_conversion", snapshot || k == 0 ? nullptr : &s.step_conversion);
    put_rate(row, "cumulative_conversion", snapshot ? nullptr : &s.cumulative_conversion);
    row["amount"] = money_list_json(s.amount);
    stages.push_back(std::move(row));
  }
  j["stages"] = std::move(stages);
  Json lost_from = Json::array();
  for (const auto& r : f.lost_from) {
    Json reasons = Json::array();
    for (const auto& [reason, count] : r.reasons) {
      reasons.push_back(Json{{"reason", reason.empty() ? Json(nullptr) : Json(reason)}, {"count", count}});
    }
    lost_from.push_back(Json{{"stage", r.stage ? Json(r.id) : Json(nullptr)},
                             {"name", r.stage ? Json(r.name) : Json(nullptr)},
                             {"count", r.count},
                             {"amount", money_list_json(r.amount)},
                             {"reasons", std::move(reasons)}});
  }
  j["lost_from"] = std::move(lost_from);
  Json lost_to = Json::array();
  for (const auto& r : f.lost_to)
    lost_to.push_back(Json{{"stage", r.id}, {"name", r.name}, {"count", r.count}});
  j["lost_to"] = std::move(lost_to);
  return j;
}

using detail::percent;
using detail::interval_text;

std::string money_list_text(const std::vector<Money>& amounts) {
  if (amounts.empty()) return "-";
  std::string s;
  for (const Money& m : amounts) {
    s += (s.empty() ? "" : "; ") + detail::money_text(m);
  }
  return s;
}

std::string money_csv(const std::vector<Money>& amounts) {
  std::string s;
  for (const Money& m : amounts) s += (s.empty() ? "" : ";") + m.to_string();
  return s;
}

std::string number_csv(const std::optional<double>& v) {
  if (!v) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", *v);
  return buf;
}

std::string iso_or(const std::optional<Instant>& t, const char* fallback) {
  return t ? format_iso(*t) : fallback;
}

// "28.0% RUB; 100.0% USD", "-" when none.
std::string amount_rates_text(const std::vector<AmountRate>& rates) {
  std::string s;
  for (const AmountRate& r : rates) {
    s += (s.empty() ? "" : "; ") + percent(r.value) + " " + std::string(r.numerator.currency().code());
  }
  return s.empty() ? "-" : s;
}

// "RUB:0.280000;USD:1.000000"
std::string amount_rates_csv(const std::vector<AmountRate>& rates) {
  std::string s;
  for (const AmountRate& r : rates) {
    s += (s.empty() ? "" : ";") + std::string(r.numerator.currency().code()) + ":" + number_csv(r.value);
  }
  return s;
}

// Output made piece by piece: appended to a string, written to a stream (when
// there is one) each time it passes 1 MiB.
class Sink {
 public:
  explicit Sink(std::ostream* os) : os_(os) {}
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;
  ~Sink() { flush(); }
  std::string& buf() noexcept { return buf_; }
  void maybe_flush() {
    if (os_ && buf_.size() >= (std::size_t{1} << 20)) flush();
  }
  void flush() {
    if (os_ && !buf_.empty()) {
      os_->write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
      buf_.clear();
    }
  }
  std::string take() { return std::move(buf_); }

 private:
  std::ostream* os_;
  std::string buf_;
};

// The groups of a FunnelReport, or of a FunnelResult made one at a time into
// one reused object.
struct ReportGroups {
  const FunnelReport& report;
  std::size_t size() const noexcept { return report.groups.size(); }
  const FunnelGroup& get(std::size_t i) const { return report.groups[i]; }
};
struct ResultGroups {
  const FunnelResult& result;
  mutable FunnelGroup scratch;
  std::size_t size() const noexcept { return result.group_count(); }
  const FunnelGroup& get(std::size_t i) const {
    result.group(i, scratch);
    return scratch;
  }
  // What group_cells reads only.
  const FunnelGroup& summary(std::size_t i) const {
    result.group_summary(i, scratch);
    return scratch;
  }
};
struct ReportGroupsSummary : ReportGroups {
  const FunnelGroup& summary(std::size_t i) const { return get(i); }
};

void append_uint(std::string& out, std::uint64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// ---- JSON written as nlohmann::json::dump(2) writes it (keys in byte order,
// two-space indent, numbers through its own double formatting).

void json_double(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  char buf[64];
  char* end = nlohmann::detail::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (b < 0x80) {
      ++i;
      continue;
    } else if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
      cp = b & 0x1Fu;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      cp = b & 0x0Fu;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      cp = b & 0x07u;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0u) != 0x80u) return false;
      cp = (cp << 6) | (c & 0x3Fu);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
      return false;
    i += len;
  }
  return true;
}

void json_string(std::string& out, std::string_view s) {
  if (!valid_utf8(s)) {  // nlohmann's replacement of invalid bytes
    out += dump_json(Json(std::string(s)), -1);
    return;
  }
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (c <= 0x1F) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

// An object or array at a depth: members on their own lines, indented.
class JsonBlock {
 public:
  JsonBlock(std::string& out, int depth, bool array) : out_(out), depth_(depth), array_(array) {
    out_ += array ? '[' : '{';
  }
  // Starts the next member ("key": ) and returns the output for its value.
  std::string& key(std::string_view k) {
    next();
    out_ += '"';
    out_ += k;
    out_ += "\": ";
    return out_;
  }
  std::string& item() {
    next();
    return out_;
  }
  int inner() const noexcept { return depth_ + 1; }
  void close() {
    if (!first_) {
      out_ += '\n';
      out_.append(static_cast<std::size_t>(depth_) * 2, ' ');
    }
    out_ += array_ ? ']' : '}';
  }

 private:
  void next() {
    out_ += first_ ? "\n" : ",\n";
    first_ = false;
    out_.append(static_cast<std::size_t>(depth_ + 1) * 2, ' ');
  }
  std::string& out_;
  int depth_;
  bool array_;
  bool first_ = true;
};

void json_money(std::string& out, int depth, const std::vector<Money>& amounts) {
  JsonBlock a(out, depth, true);
  for (const Money& m : amounts) {
    JsonBlock o(a.item(), a.inner(), false);
    json_string(o.key("amount"), m.format_amount());
    json_string(o.key("currency"), m.currency().code());
    o.close();
  }
  a.close();
}

// put_rate's four members, in key order: name, name_denominator,
// name_interval, name_numerator (all null when the rate does not apply).
void json_rate(JsonBlock& o, std::string_view name, const Rate* r) {
  std::string key(name);
  std::string& v = o.key(key);
  if (r && r->value) {
    json_double(v, *r->value);
  } else {
    v += "null";
  }
  std::string& d = o.key(key + "_denominator");
  r ? append_uint(d, r->denominator) : void(d += "null");
  std::string& in = o.key(key + "_interval");
  if (r && r->interval) {
    JsonBlock i(in, o.inner(), false);
    json_double(i.key("high"), r->interval->high);
    json_double(i.key("low"), r->interval->low);
    i.close();
  } else {
    in += "null";
  }
  std::string& n = o.key(key + "_numerator");
  r ? append_uint(n, r->numerator) : void(n += "null");
}

// One element of "groups": figures_json plus "key", written directly.
void json_group(std::string& out, int depth, const FunnelGroup& g, bool snapshot) {
  const FunnelFigures& f = g.figures;
  JsonBlock o(out, depth, false);
  append_uint(o.key("deals"), f.deals);
  if (g.key) {
    json_string(o.key("key"), *g.key);
  } else {
    o.key("key") += "null";
  }
  append_uint(o.key("lost"), f.lost);
  json_money(o.key("lost_amount"), o.inner(), f.lost_amount);
  {
    JsonBlock a(o.key("lost_from"), o.inner(), true);
    for (const auto& r : f.lost_from) {
      JsonBlock row(a.item(), a.inner(), false);
      json_money(row.key("amount"), row.inner(), r.amount);
      append_uint(row.key("count"), r.count);
      if (r.stage) {
        json_string(row.key("name"), r.name);
      } else {
        row.key("name") += "null";
      }
      {
        JsonBlock reasons(row.key("reasons"), row.inner(), true);
        for (const auto& [reason, count] : r.reasons) {
          JsonBlock item(reasons.item(), reasons.inner(), false);
          append_uint(item.key("count"), count);
          if (reason.empty()) {
            item.key("reason") += "null";
          } else {
            json_string(item.key("reason"), reason);
          }
          item.close();
        }
        reasons.close();
      }
      if (r.stage) {
        json_string(row.key("stage"), r.id);
      } else {
        row.key("stage") += "null";
      }
      row.close();
    }
    a.close();
  }
  {
    JsonBlock a(o.key("lost_to"), o.inner(), true);
    for (const auto& r : f.lost_to) {
      JsonBlock row(a.item(), a.inner(), false);
      append_uint(row.key("count"), r.count);
      json_string(row.key("name"), r.name);
      json_string(row.key("stage"), r.id);
      row.close();
    }
    a.close();
  }
  append_uint(o.key("open"), f.open);
  json_money(o.key("open_amount"), o.inner(), f.open_amount);
  {
    JsonBlock a(o.key("stages"), o.inner(), true);
    for (std::size_t k = 0; k < f.stages.size(); ++k) {
      const FunnelStageRow& s = f.stages[k];
      JsonBlock row(a.item(), a.inner(), false);
      json_money(row.key("amount"), row.inner(), s.amount);
      json_rate(row, "cumulative_conversion", snapshot ? nullptr : &s.cumulative_conversion);
      json_string(row.key("id"), s.id);
      json_string(row.key("name"), s.name);
      append_uint(row.key("reached"), s.reached);
      json_rate(row, "step_conversion", snapshot || k == 0 ? nullptr : &s.step_conversion);
      row.close();
    }
    a.close();
  }
  // win_rate, then win_rate_by_amount sorts between it and win_rate_denominator.
  std::string& wr = o.key("win_rate");
  f.win_rate.value ? json_double(wr, *f.win_rate.value) : void(wr += "null");
  {
    JsonBlock a(o.key("win_rate_by_amount"), o.inner(), true);
    for (const AmountRate& r : f.win_rate_by_amount) {
      JsonBlock row(a.item(), a.inner(), false);
      json_string(row.key("currency"), r.numerator.currency().code());
      json_string(row.key("denominator"), r.denominator.format_amount());
      json_string(row.key("numerator"), r.numerator.format_amount());
      std::string& v = row.key("value");
      r.value ? json_double(v, *r.value) : void(v += "null");
      row.close();
    }
    a.close();
  }
  append_uint(o.key("win_rate_denominator"), f.win_rate.denominator);
  std::string& wi = o.key("win_rate_interval");
  if (f.win_rate.interval) {
    JsonBlock i(wi, o.inner(), false);
    json_double(i.key("high"), f.win_rate.interval->high);
    json_double(i.key("low"), f.win_rate.interval->low);
    i.close();
  } else {
    wi += "null";
  }
  append_uint(o.key("win_rate_numerator"), f.win_rate.numerator);
  append_uint(o.key("without_history"), f.without_history);
  append_uint(o.key("won"), f.won);
  json_money(o.key("won_amount"), o.inner(), f.won_amount);
  json_rate(o, "won_of_created", f.won_of_created ? &*f.won_of_created : nullptr);
  o.close();
}

constexpr std::string_view kGroupsMarker = "dealflow:funnel-groups:";

// ---- table and CSV, shared by the string and the streaming forms.

void group_cells(const FunnelGroup& g, std::vector<std::string>& row) {
  const FunnelFigures& f = g.figures;
  row.resize(2 + f.stages.size() + 6);
  std::size_t c = 0;
  row[c++].assign(g.key ? *g.key : std::string_view("(none)"));
  row[c++] = std::to_string(f.deals);
  for (const auto& s : f.stages) row[c++] = std::to_string(s.reached);
  row[c++] = std::to_string(f.won);
  row[c++] = std::to_string(f.lost);
  row[c++] = std::to_string(f.open);
  row[c++] = percent(f.win_rate.value);
  row[c++] = amount_rates_text(f.win_rate_by_amount);
  row[c++] = money_list_text(f.won_amount);
}

template <class Groups>
void write_table(Sink& sink, const FunnelReport& report, const Pipeline& pipeline, const Groups& groups) {
  std::string& out = sink.buf();
  const FunnelDefinition& d = report.definition;
  const FunnelFigures& f = report.total;
  const bool snapshot = d.rule == CountingRule::snapshot;
  out += "Funnel: " + pipeline.name() + " (" + pipeline.id() + "), rule " + std::string(to_string(d.rule)) +
         ", deals " + std::string(d.basis == FunnelBasis::created ? "created" : "closed") + " in [" +
         iso_or(d.from, "-inf") + ", " + iso_or(d.to, "+inf") + "), as of " + format_iso(d.as_of) + "\n\n";
  {
    std::vector<std::string> header = {"stage", "name", snapshot ? "in stage" : "reached"};
    std::vector<Align> align = {Align::left, Align::left, Align::right};
    if (!snapshot) {
      for (const char* h : {"step", "step 95% CI", "cumulative", "cum. 95% CI"}) {
        header.emplace_back(h);
        align.push_back(Align::right);
      }
    }
    header.emplace_back("amount");
    align.push_back(Align::right);
    TextTable t(header, align);
    for (const auto& s : f.stages) {
      std::vector<std::string> row = {s.id, s.name, std::to_string(s.reached)};
      if (!snapshot) {
        row.push_back(percent(s.step_conversion.value));
        row.push_back(interval_text(s.step_conversion));
        row.push_back(percent(s.cumulative_conversion.value));
        row.push_back(interval_text(s.cumulative_conversion));
      }
      row.push_back(money_list_text(s.amount));
      t.add_row(std::move(row));
    }
    out += t.render();
  }
  out += "\ndeals " + std::to_string(f.deals) + ", won " + std::to_string(f.won) + ", lost " +
         std::to_string(f.lost) + ", open " + std::to_string(f.open);
  if (f.without_history) out += " (" + std::to_string(f.without_history) + " without history)";
  out += "\nwin rate (won/(won+lost) deals) " + percent(f.win_rate.value) + " [" + interval_text(f.win_rate) +
         "], by amount (won/(won+lost) amount) " + amount_rates_text(f.win_rate_by_amount);
  if (f.won_of_created) {
    out += ", won of created (won/deals) " + percent(f.won_of_created->value) + " [" +
           interval_text(*f.won_of_created) + "]";
  }
  out += "\n";
  out += "won amount " + money_list_text(f.won_amount) + ", lost amount " + money_list_text(f.lost_amount) +
         ", open amount " + money_list_text(f.open_amount) + "\n";
  if (!f.lost_from.empty()) {
    out += "\nlost, by the open stage they were lost from:\n";
    TextTable t({"lost from", "name", "lost", "amount", "reasons"},
                {Align::left, Align::left, Align::right, Align::right, Align::left});
    for (const auto& r : f.lost_from) {
      std::string reasons;
      for (const auto& [reason, count] : r.reasons) {
        reasons += (reasons.empty() ? "" : ", ") + (reason.empty() ? std::string("(none)") : reason) + " " +
                   std::to_string(count);
      }
      t.add_row({r.stage ? r.id : "(none)", r.stage ? r.name : "-", std::to_string(r.count),
                 money_list_text(r.amount), reasons});
    }
    out += t.render();
  }
  if (!f.lost_to.empty()) {
    out += "lost into: ";
    for (std::size_t i = 0; i < f.lost_to.size(); ++i) {
      out += (i ? ", " : "") + f.lost_to[i].id + " " + std::to_string(f.lost_to[i].count);
    }
    out += "\n";
  }
  if (!d.group_by.empty()) {
    out += "\nby " + d.group_by + ":\n";
    std::vector<std::string> header = {d.group_by, "deals"};
    std::vector<Align> align = {Align::left, Align::right};
    for (const auto& s : f.stages) {
      header.push_back(s.id);
      align.push_back(Align::right);
    }
    for (const char* h : {"won", "lost", "open", "win rate", "win rate by amount", "won amount"}) {
      header.emplace_back(h);
      align.push_back(Align::right);
    }
    TableWriter t(header, align);
    std::vector<std::string> row;
    for (std::size_t i = 0; i < groups.size(); ++i) {
      group_cells(groups.summary(i), row);
      t.measure(row);
    }
    t.write_header(out);
    for (std::size_t i = 0; i < groups.size(); ++i) {
      group_cells(groups.summary(i), row);
      t.write_row(row, out);
      sink.maybe_flush();
    }
  }
  out += "\n" + d.summary() + "\n";
}

template <class Groups>
void write_csv(Sink& sink, const FunnelReport& report, const Groups& groups, const FunnelCsvPrefix& prefix) {
  const FunnelDefinition& d = report.definition;
  std::string& out = sink.buf();
  if (prefix.with_header) {
    out += prefix.header;
    out +=
        "rule,basis,from,to,as_of,group_by,group,stage,name,reached,step_conversion,step_conversion_low,"
        "step_conversion_high,cumulative_conversion,cumulative_conversion_low,cumulative_conversion_high,"
        "amount,"
        "deals,won,lost,open,win_rate,win_rate_low,win_rate_high,win_rate_by_amount,won_of_created,won_"
        "amount,"
        "lost_amount\n";
  }
  const std::string definition = prefix.row + std::string(to_string(d.rule)) + "," +
                                 std::string(to_string(d.basis)) + "," + iso_or(d.from, "") + "," +
                                 iso_or(d.to, "") + "," + format_iso(d.as_of) + "," + csv_escape(d.group_by);
  const auto lo = [](const Rate& r) {
    return r.interval ? std::optional<double>(r.interval->low) : std::nullopt;
  };
  const auto hi = [](const Rate& r) {
    return r.interval ? std::optional<double>(r.interval->high) : std::nullopt;
  };
  auto rows = [&](std::string_view group, const FunnelFigures& f) {
    // The group's figures, the same on each of its stage rows.
    std::string figures;
    append_uint(figures, f.deals);
    figures += ',';
    append_uint(figures, f.won);
    figures += ',';
    append_uint(figures, f.lost);
    figures += ',';
    append_uint(figures, f.open);
    figures += "," + number_csv(f.win_rate.value) + "," + number_csv(lo(f.win_rate)) + "," +
               number_csv(hi(f.win_rate)) + "," + csv_escape(amount_rates_csv(f.win_rate_by_amount)) + "," +
               number_csv(f.won_of_created ? f.won_of_created->value : std::nullopt) + "," +
               csv_escape(money_csv(f.won_amount)) + "," + csv_escape(money_csv(f.lost_amount)) + "\n";
    const std::string group_cell = csv_escape(group);
    for (const auto& s : f.stages) {
      out += definition;
      out += ',';
      out += group_cell;
      out += ',';
      out += csv_escape(s.id);
      out += ',';
      out += csv_escape(s.name);
      out += ',';
      append_uint(out, s.reached);
      out += "," + number_csv(s.step_conversion.value) + "," + number_csv(lo(s.step_conversion)) + "," +
             number_csv(hi(s.step_conversion)) + "," + number_csv(s.cumulative_conversion.value) + "," +
             number_csv(lo(s.cumulative_conversion)) + "," + number_csv(hi(s.cumulative_conversion)) + "," +
             csv_escape(money_csv(s.amount)) + ",";
      out += figures;
    }
    sink.maybe_flush();
  };
  rows("", report.total);
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const FunnelGroup& g = groups.get(i);
    rows(g.key ? std::string_view(*g.key) : std::string_view("(none)"), g.figures);
  }
}

}  // namespace

Json funnel_to_json(const FunnelReport& report, const Pipeline& pipeline) {
  const FunnelDefinition& d = report.definition;
  const bool snapshot = d.rule == CountingRule::snapshot;
  Json j = figures_json(report.total, snapshot);
  Json def;
  def["rule"] = to_string(d.rule);
  def["rule_text"] = d.rule_text;
  def["basis"] = to_string(d.basis);
  def["basis_text"] = d.basis_text;
  def["from"] = d.from ? Json(format_iso(*d.from)) : Json(nullptr);
  def["to"] = d.to ? Json(format_iso(*d.to)) : Json(nullptr);
  def["as_of"] = format_iso(d.as_of);
  def["denominator"] = d.denominator_text;
  def["conversion"] = d.conversion.empty() ? Json(nullptr) : Json(d.conversion);
  def["reopened_deals"] = "count by their outcome as of the report instant";
  def["group_by"] = d.group_by.empty() ? Json(nullptr) : Json(d.group_by);
  Json out;
  out["pipeline"] = Json{{"id", pipeline.id()}, {"name", pipeline.name()}};
  out["definition"] = std::move(def);
  for (auto& [k, v] : j.items()) out[k] = v;
  if (!d.group_by.empty()) {
    Json groups = Json::array();
    for (const auto& g : report.groups) {
      Json item;
      item["key"] = g.key ? Json(*g.key) : Json(nullptr);
      const Json figures = figures_json(g.figures, snapshot);  // keep alive while iterating
      for (const auto& [k, v] : figures.items()) item[k] = v;
      groups.push_back(std::move(item));
    }
    out["groups"] = std::move(groups);
  }
  return out;
}

Json funnel_to_json(const FunnelResult& result, const Pipeline& pipeline, std::size_t section) {
  FunnelReport head;  // totals and definition only
  head.definition = result.report().definition;
  head.total = result.report().total;
  Json j = funnel_to_json(head, pipeline);
  if (j.contains("groups")) j["groups"] = std::string(kGroupsMarker) + std::to_string(section);
  return j;
}

void write_funnel_json(std::ostream& out, const Json& document,
                       std::span<const FunnelResult* const> sections) {
  const std::string text = dump_json(document);
  Sink sink(&out);
  std::size_t pos = 0;
  for (std::size_t s = 0; s < sections.size(); ++s) {
    const std::string marker = "\"groups\": \"" + std::string(kGroupsMarker) + std::to_string(s) + "\"";
    const std::size_t at = text.find(marker, pos);
    if (at == std::string::npos) continue;  // not grouped
    const std::size_t line = text.rfind('\n', at);
    const int depth = static_cast<int>((at - (line == std::string::npos ? 0 : line + 1)) / 2) - 1;
    sink.buf().append(text, pos, at + 10 - pos);  // up to and with `"groups": `
    const FunnelResult& result = *sections[s];
    const bool snapshot = result.report().definition.rule == CountingRule::snapshot;
    ResultGroups groups{result, {}};
    JsonBlock a(sink.buf(), depth + 1, true);
    for (std::size_t i = 0; i < groups.size(); ++i) {
      json_group(a.item(), a.inner(), groups.get(i), snapshot);
      sink.maybe_flush();
    }
    a.close();
    pos = at + marker.size();
  }
  sink.buf().append(text, pos);
  sink.buf() += '\n';
}

std::string funnel_to_csv(const FunnelReport& report) {
  Sink sink(nullptr);
  write_csv(sink, report, ReportGroups{report}, {});
  return sink.take();
}

void write_funnel_csv(std::ostream& out, const FunnelResult& result, const FunnelCsvPrefix& prefix) {
  Sink sink(&out);
  write_csv(sink, result.report(), ResultGroups{result, {}}, prefix);
}

std::string funnel_to_table(const FunnelReport& report, const Pipeline& pipeline) {
  Sink sink(nullptr);
  write_table(sink, report, pipeline, ReportGroupsSummary{{report}});
  return sink.take();
}

void write_funnel_table(std::ostream& out, const FunnelResult& result, const Pipeline& pipeline) {
  Sink sink(&out);
  write_table(sink, result.report(), pipeline, ResultGroups{result, {}});
}

}  // namespace dealflow::analytics
