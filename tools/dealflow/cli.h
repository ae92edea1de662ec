// tools/dealflow/cli.h: the command-line dispatcher and argument parsing shared
// by every `dealflow` sub-command. Not part of the library API.
#pragma once

#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dealflow/core/status.h"

namespace dealflow::cli {

// Exit codes: 0 success; 1 invalid input data (validation, parse errors);
// 2 usage error (unknown option, missing argument); 3 internal error: an
// exception reached main ("error: internal error: ..."), which is a bug in
// dealflow, never a verdict on the input (bad input is always 1 with a location).
inline constexpr int kExitOk = 0;
inline constexpr int kExitDataError = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInternal = 3;

// Parsed arguments: options "--name value", flags "--name", positionals.
// Options are declared up front so a typo is a usage error, not ignored.
class Args {
 public:
  struct Spec {
    std::vector<std::string> options;  // take a value
    std::vector<std::string> flags;    // take none
  };
  static Result<Args> parse(const std::vector<std::string>& argv, const Spec& spec);

  bool flag(std::string_view name) const;
  // The last value of an option given several times.
  std::optional<std::string> option(std::string_view name) const;
  // Every value of an option, in command-line order (empty when absent).
  std::vector<std::string> option_values(std::string_view name) const;
  std::string option_or(std::string_view name, std::string fallback) const;
  // A usage error naming the missing option.
  Result<std::string> required(std::string_view name) const;
  const std::vector<std::string>& positionals() const noexcept { return positionals_; }

 private:
  std::map<std::string, std::string, std::less<>> options_;
  std::vector<std::pair<std::string, std::string>> option_list_;  // every option, in order
  std::vector<std::string> flags_;
  std::vector<std::string> positionals_;
};

struct Io {
  std::ostream& out;
  std::ostream& err;
};

using CommandFn = std::function<int(const std::vector<std::string>& args, Io io)>;

struct Command {
  std::string name;
  std::string summary;  // one line for `dealflow --help`
  std::string help;     // full text for `dealflow <name> --help`
  CommandFn run;
};

// Commands register themselves at static-initialization time:
//   static const bool registered = dealflow::cli::register_command({...});
bool register_command(Command command);
const std::map<std::string, Command>& commands();

// Prints a Status as "error: <location>: <message>" to io.err.
void print_error(Io io, const Status& status);

// `v` in fixed notation with `digits` decimals ("0.174132"), for text output.
std::string fixed(double v, int digits);

}  // namespace dealflow::cli
