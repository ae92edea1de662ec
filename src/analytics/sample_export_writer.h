// Internal: the interface of the sample's export writers (one per CRM format,
// src/analytics/sample_export_<format>.cpp) and their shared helpers.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "analytics/sample_text.h"
#include "dealflow/analytics/sample.h"
#include "dealflow/analytics/sample_export.h"

namespace dealflow::analytics::detail {

class ExportWriter {
 public:
  ExportWriter(const SampleOptions& sample, const SampleExportOptions& options, const SampleFileSink& sink)
      : sample_(sample), options_(options), sink_(sink) {}
  virtual ~ExportWriter() = default;
  ExportWriter(const ExportWriter&) = delete;
  ExportWriter& operator=(const ExportWriter&) = delete;

  // True when begin() needs the data set's totals (a first counting pass).
  virtual bool needs_totals() const { return false; }
  virtual Status begin(const SampleSummary& totals) = 0;
  virtual Status deal(const SampleDeal& deal) = 0;
  virtual Status finish() = 0;

  std::uint64_t stage_changes = 0;
  std::uint64_t field_changes = 0;

 protected:
  // A text buffer whose chunks go to `file`.
  ChunkWriter file(std::string name) const {
    return ChunkWriter([this, name = std::move(name)](std::string_view chunk) { return sink_(name, chunk); });
  }
  // A whole small file at once.
  Status write_file(std::string_view name, std::string_view text) const { return sink_(name, text); }

  const SampleOptions& sample_;
  const SampleExportOptions& options_;
  const SampleFileSink& sink_;
};

std::unique_ptr<ExportWriter> make_salesforce_writer(const SampleOptions&, const SampleExportOptions&,
                                                     const SampleFileSink&);
std::unique_ptr<ExportWriter> make_bitrix24_writer(const SampleOptions&, const SampleExportOptions&,
                                                   const SampleFileSink&);
std::unique_ptr<ExportWriter> make_hubspot_writer(const SampleOptions&, const SampleExportOptions&,
                                                  const SampleFileSink&);
std::unique_ptr<ExportWriter> make_pipedrive_writer(const SampleOptions&, const SampleExportOptions&,
                                                    const SampleFileSink&);
std::unique_ptr<ExportWriter> make_mapped_writer(const SampleOptions&, const SampleExportOptions&,
                                                 const SampleFileSink&);

// Merges a deal's stage events and field changes into one timeline of
// instants: calls `at(instant, stage_event_or_null, first_change, last_change)`
// once per distinct instant, in time order.
template <typename F>
void for_each_instant(const SampleDeal& d, F&& at) {
  std::size_t e = 0, c = 0;
  const auto& h = d.history;
  const auto& fc = d.field_changes;
  while (e < h.size() || c < fc.size()) {
    Instant t = e < h.size() ? h[e].at : fc[c].at;
    if (c < fc.size() && fc[c].at < t) t = fc[c].at;
    const SampleStageEvent* ev = e < h.size() && h[e].at == t ? &h[e++] : nullptr;
    const std::size_t first = c;
    while (c < fc.size() && fc[c].at == t) ++c;
    at(t, ev, fc.subspan(first, c - first));
  }
}

// Salesforce-style 18-character id: a 3-character key prefix, a fixed pod
// part, the number in base 62 and the 3-character case-safe suffix.
void put_salesforce_id(ChunkWriter& out, std::string_view prefix, std::uint64_t n);

// Windows-1252 output for the Salesforce writer: Cyrillic transliterated,
// then converted with iconv. Wraps a sink; chunks must end at a character boundary.
SampleFileSink windows_1252_sink(SampleFileSink sink);

}  // namespace dealflow::analytics::detail
