// Test helper: runs the built `dealflow` binary and captures exit code, stdout
// and stderr. DEALFLOW_CLI, DEALFLOW_SOURCE_DIR and DEALFLOW_TEST_TMP come from
// tests/CMakeLists.txt.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace dealflow::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `dealflow <args>` from the source directory (so data/... paths work).
// `args` is passed to /bin/sh as is: quote what needs quoting.
inline CliResult run_cli(const std::string& args) {
  static int counter = 0;
  const std::string base = std::string(DEALFLOW_TEST_TMP) + "/cli_" + std::to_string(::getpid()) + "_" +
                           std::to_string(counter++);
  const std::string command = "cd '" DEALFLOW_SOURCE_DIR "' && '" DEALFLOW_CLI "' " + args + " >'" + base +
                              ".out' 2>'" + base + ".err'";
  const int status = std::system(command.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(base + ".out");
  r.err = slurp(base + ".err");
  std::remove((base + ".out").c_str());
  std::remove((base + ".err").c_str());
  return r;
}

// Writes `text` to a temporary file named after `name`; returns its path.
inline std::string write_temp(const std::string& name, const std::string& text) {
  const std::string path = std::string(DEALFLOW_TEST_TMP) + "/" + std::to_string(::getpid()) + "_" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

}  // namespace dealflow::testing
