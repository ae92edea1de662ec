// The `dealflow` command-line tool: dispatches to the registered sub-commands.
#include <iostream>
#include <string>
#include <vector>

#include "dealflow/cli.h"

namespace {

void print_usage(std::ostream& out) {
  out << "dealflow: model and measure a sales process\n\n"
         "usage: dealflow <command> [options]\n"
         "       dealflow <command> --help\n\n"
         "commands:\n";
  for (const auto& [name, command] : dealflow::cli::commands()) {
    out << "  " << name << std::string(name.size() < 12 ? 12 - name.size() : 1, ' ') << command.summary << "\n";
  }
  out << "\nexit codes: 0 success, 1 invalid input data, 2 usage error, 3 internal error (a bug)\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    print_usage(std::cerr);
    return dealflow::cli::kExitUsage;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_usage(std::cout);
    return dealflow::cli::kExitOk;
  }
  const auto& commands = dealflow::cli::commands();
  auto it = commands.find(args[0]);
  if (it == commands.end()) {
    std::cerr << "error: unknown command '" << args[0] << "'\n\n";
    print_usage(std::cerr);
    return dealflow::cli::kExitUsage;
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  for (const auto& a : rest) {
    if (a == "--help" || a == "-h") {
      std::cout << it->second.help;
      return dealflow::cli::kExitOk;
    }
  }
  try {
    return it->second.run(rest, dealflow::cli::Io{std::cout, std::cerr});
  } catch (const std::exception& e) {
    std::cerr << "error: internal error (a bug in dealflow, please report it): " << e.what() << "\n";
    return dealflow::cli::kExitInternal;
  } catch (...) {
    std::cerr << "error: internal error (a bug in dealflow, please report it): unknown exception\n";
    return dealflow::cli::kExitInternal;
  }
}
