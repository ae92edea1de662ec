# Every dependency comes from a Debian 12 package (see scripts/install-deps.sh).
# Boost.Graph and Boost.Date_Time are used header-only.
find_package(Boost 1.74 REQUIRED)
find_package(Eigen3 3.3 REQUIRED NO_MODULE)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(simdjson 3 REQUIRED)
find_package(Threads REQUIRED)
# The durable store (src/store/) keeps its state in SQLite (Debian: libsqlite3-dev).
find_package(SQLite3 3.31 REQUIRED)
