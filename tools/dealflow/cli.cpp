#include "dealflow/cli.h"

#include <algorithm>
#include <ostream>
#include <sstream>

namespace dealflow::cli {

namespace {
std::map<std::string, Command>& registry() {
  static std::map<std::string, Command> r;
  return r;
}
}  // namespace

bool register_command(Command command) {
  std::string name = command.name;
  return registry().emplace(std::move(name), std::move(command)).second;
}

const std::map<std::string, Command>& commands() { return registry(); }

Result<Args> Args::parse(const std::vector<std::string>& argv, const Spec& spec) {
  Args args;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.rfind("--", 0) != 0 || a == "--") {
      args.positionals_.push_back(a);
      continue;
    }
    std::string name = a.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const bool is_option = std::find(spec.options.begin(), spec.options.end(), name) != spec.options.end();
    const bool is_flag = std::find(spec.flags.begin(), spec.flags.end(), name) != spec.flags.end();
    if (is_flag && !inline_value) {
      args.flags_.push_back(name);
    } else if (is_option) {
      if (inline_value) {
        args.options_[name] = *inline_value;
      } else if (i + 1 < argv.size()) {
        args.options_[name] = argv[++i];
      } else {
        return Status(ErrorCode::invalid_argument, "option --" + name + " needs a value");
      }
      args.option_list_.emplace_back(name, args.options_[name]);
    } else {
      return Status(ErrorCode::invalid_argument, "unknown option --" + name + " (see --help)");
    }
  }
  return args;
}

bool Args::flag(std::string_view name) const {
  return std::find(flags_.begin(), flags_.end(), name) != flags_.end();
}

std::optional<std::string> Args::option(std::string_view name) const {
  auto it = options_.find(name);
  if (it == options_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> Args::option_values(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [n, v] : option_list_) {
    if (n == name) values.push_back(v);
  }
  return values;
}

std::string Args::option_or(std::string_view name, std::string fallback) const {
  auto v = option(name);
  return v ? *v : std::move(fallback);
}

Result<std::string> Args::required(std::string_view name) const {
  if (auto v = option(name)) return *v;
  return Status(ErrorCode::invalid_argument, "missing required option --" + std::string(name) + " (see --help)");
}

void print_error(Io io, const Status& status) { io.err << "error: " << status.to_string() << "\n"; }

std::string fixed(double v, int digits) {
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(digits);
  s << v;
  return s.str();
}

}  // namespace dealflow::cli
