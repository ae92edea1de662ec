// Internal: the fixed world of the sample generator (docs/sample-data.md):
// managers, regions, products, sources, loss reasons, client names and the
// process parameters. Probabilities are integers per 10,000; multipliers are
// integers per 1,000; durations are seconds.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace dealflow::analytics::detail::sample {

// Stage indexes of the Bitrix24 default pipeline, in the order of the config.
enum Stage : std::uint8_t {
  kNew,
  kPreparation,
  kPrepaymentInvoice,
  kExecuting,
  kFinalInvoice,
  kWon,
  kLose,
  kApology
};
inline constexpr int kOpenStages = 5;
inline constexpr std::array<std::string_view, 8> kStageIds = {
    "NEW", "PREPARATION", "PREPAYMENT_INVOICE", "EXECUTING", "FINAL_INVOICE", "WON", "LOSE", "APOLOGY"};
inline constexpr std::array<std::string_view, 8> kStageNames = {
    "Новая",          "Подготовка документов", "Счёт на предоплату", "В работе",
    "Финальный счёт", "Сделка успешна",        "Сделка провалена",   "Анализ причины провала"};
// Percent, as in the pipeline config; the deal's probability follows its stage.
inline constexpr std::array<int, 8> kStageProbability = {10, 20, 40, 60, 80, 100, 0, 0};

enum class Role : std::uint8_t { inbound, outbound, enterprise, account };

struct ManagerProfile {
  std::string_view name;
  Role role;
  std::uint32_t capacity;  // weight inside the role's pool
  std::uint32_t loss;      // per mille multiplier on loss probabilities (lower = better)
  std::uint32_t pace;      // per mille multiplier on time in stage (lower = faster)
};

inline constexpr std::array<ManagerProfile, 12> kManagers = {{
    {"Иванова Анна", Role::inbound, 100, 850, 900},
    {"Смирнова Ольга", Role::inbound, 100, 1000, 1000},
    {"Кузнецов Дмитрий", Role::inbound, 100, 1150, 1100},
    {"Лебедева Мария", Role::inbound, 70, 950, 850},
    {"Попов Алексей", Role::outbound, 100, 900, 1000},
    {"Козлов Андрей", Role::outbound, 100, 1100, 1200},
    {"Морозов Игорь", Role::outbound, 80, 1000, 900},
    {"Соколова Елена", Role::enterprise, 100, 900, 1000},
    {"Фёдоров Павел", Role::enterprise, 90, 1100, 1150},
    {"Новикова Татьяна", Role::account, 100, 900, 950},
    {"Волкова Наталья", Role::account, 100, 1000, 1000},
    {"Егоров Максим", Role::account, 80, 1050, 1100},
}};

inline constexpr std::array<std::string_view, 6> kRegions = {"Москва", "Санкт-Петербург", "Екатеринбург",
                                                             "Казань", "Новосибирск",     "Томск"};
inline constexpr std::array<std::uint32_t, 6> kRegionWeights = {35, 20, 14, 13, 12, 6};

struct Product {
  std::string_view name;
  std::int64_t base_rub;  // median SMB price
};
inline constexpr std::array<Product, 5> kProducts = {{
    {"Лицензии CRM", 120'000},
    {"Внедрение", 350'000},
    {"Интеграция с 1С", 250'000},
    {"Обучение", 60'000},
    {"Техподдержка", 90'000},
}};
inline constexpr std::array<std::uint32_t, 5> kProductWeightsSmbNew = {35, 20, 15, 15, 15};
inline constexpr std::array<std::uint32_t, 5> kProductWeightsEnterpriseNew = {20, 35, 25, 10, 10};
inline constexpr std::array<std::uint32_t, 5> kProductWeightsRepeat = {30, 10, 10, 25, 25};

inline constexpr std::array<std::string_view, 4> kInboundSources = {"Сайт", "Входящий звонок", "Email",
                                                                    "Рекомендация"};
inline constexpr std::array<std::uint32_t, 4> kInboundSourceWeights = {40, 25, 15, 20};
inline constexpr std::array<std::string_view, 3> kOutboundSources = {"Холодный звонок", "Выставка",
                                                                     "Email-рассылка"};
inline constexpr std::array<std::uint32_t, 3> kOutboundSourceWeights = {50, 20, 30};

// Loss reasons for deals lost from NEW or PREPARATION, and from later stages.
// One contains a comma on purpose: the CSV quotes it.
inline constexpr std::array<std::string_view, 4> kEarlyLossReasons = {
    "Не выходит на связь", "Нецелевой запрос", "Дубль", "Нет бюджета, вернуться в следующем квартале"};
inline constexpr std::array<std::uint32_t, 4> kEarlyLossWeights = {35, 25, 10, 30};
inline constexpr std::array<std::string_view, 5> kLateLossReasons = {
    "Дорого", "Выбрали конкурента", "Отложили проект", "Не устроили условия оплаты",
    "Нет бюджета, вернуться в следующем квартале"};
inline constexpr std::array<std::uint32_t, 5> kLateLossWeights = {30, 30, 20, 10, 10};

// Client names: a legal form, then «Root-Suffix», then a number once the
// combinations run out, so the name of client i is unique.
inline constexpr std::array<std::string_view, 24> kClientRoots = {
    "Альфа", "Вектор", "Гранит",   "Север",   "Восток",   "Сибирь", "Волга",    "Урал",
    "Нева",  "Кедр",   "Меридиан", "Орион",   "Прогресс", "Ресурс", "Стандарт", "Техно",
    "Транс", "Энерго", "Агро",     "Балтика", "Полюс",    "Зенит",  "Каскад",   "Лидер"};
inline constexpr std::array<std::string_view, 16> kClientSuffixes = {
    "Строй", "Торг",   "Логистик", "Софт",   "Пром", "Инвест", "Сервис",  "Групп",
    "Трейд", "Маркет", "Медиа",    "Проект", "Снаб", "Тех",    "Холдинг", "Консалт"};

// Median time in each open stage for SMB deals (seconds); Enterprise x3.
inline constexpr std::array<std::int64_t, kOpenStages> kStageMedianSeconds = {1 * 86400, 3 * 86400, 4 * 86400,
                                                                              9 * 86400, 3 * 86400};
inline constexpr std::uint32_t kEnterprisePace = 3000;
// Per visit of an open stage: probability of being lost, of going back one
// stage, of skipping the next stage (EXECUTING skips FINAL_INVOICE straight to
// WON); otherwise the deal advances to the next stage (FINAL_INVOICE -> WON).
inline constexpr std::array<std::uint32_t, kOpenStages> kLossPer10000 = {3500, 2200, 1500, 1000, 500};
inline constexpr std::uint32_t kEnterpriseLoss = 1300;  // per mille
inline constexpr std::array<std::uint32_t, kOpenStages> kBackPer10000 = {0, 500, 600, 500, 400};
inline constexpr std::array<std::uint32_t, kOpenStages> kSkipPer10000 = {900, 600, 400, 1500, 0};
inline constexpr int kMaxBackwardMoves = 2;
inline constexpr std::uint32_t kLoseNotApologyPer10000 = 7500;  // lost deals go to LOSE, else APOLOGY
inline constexpr std::uint32_t kReopenPer10000 = 600;           // of deals lost to LOSE
inline constexpr std::int64_t kReopenMedianSeconds = 20 * 86400;

inline constexpr std::uint32_t kEnterpriseNewPer10000 = 1500;
inline constexpr std::uint32_t kInboundSmbPer10000 = 6500;
inline constexpr std::uint32_t kInboundEnterprisePer10000 = 3500;
inline constexpr std::uint32_t kInboundRepeatPer10000 = 6000;
inline constexpr std::uint32_t kReturningWonClientPer10000 = 2500;
inline constexpr std::uint32_t kReturningAnyClientPer10000 = 400;
inline constexpr std::uint32_t kAccountOwnerKeepsPer10000 = 8500;
inline constexpr std::uint32_t kEnterpriseAmount = 6000;  // per mille on the SMB price
inline constexpr std::uint32_t kKopecksPer10000 = 1500;   // amounts with a non-round tail
inline constexpr std::uint32_t kOffHoursCreationPer10000 = 300;

// Relative volume of deals created per calendar month (January..December):
// the New Year and May holidays are slow, spring and autumn busy. Volume also
// grows 1.5% a month over the period.
inline constexpr std::array<std::uint32_t, 12> kSeasonality = {60, 90, 110, 105, 80,  95,
                                                               85, 85, 110, 115, 115, 100};
inline constexpr std::uint32_t kGrowthPerMonth = 15;  // per mille

// Local office: UTC+3, moves happen 09:00–19:00 on working days.
inline constexpr std::int64_t kOfficeOffsetSeconds = 3 * 3600;
inline constexpr std::int64_t kWorkStartSeconds = 9 * 3600;
inline constexpr std::int64_t kWorkEndSeconds = 19 * 3600;

// Field history (a second random stream, docs/sample-data.md "Field changes").
inline constexpr std::uint64_t kFieldStreamSalt = 0x6A09E667F3BCC909ull;  // seed ^ salt seeds it
inline constexpr std::uint32_t kReassignPer10000 = 800;                   // owner changes at least once
inline constexpr std::uint32_t kSecondReassignPer10000 = 1500;            // of reassigned deals: twice
inline constexpr std::uint32_t kAmountChangePer10000 = 2200;              // amount changes after creation
inline constexpr std::uint32_t kSecondAmountChangePer10000 = 1500;
// Expected cycle at creation (days, median; Enterprise x3) and the length of a
// push of an overdue close date (days, median; Enterprise x2).
inline constexpr std::int64_t kExpectedCycleDays = 21;
inline constexpr std::int64_t kPushDays = 14;
inline constexpr int kMaxPushes = 8;

// Quantiles of a log-normal with median 1 and sigma 0.9, per mille, at
// p = i/64 (clamped to [0.003, 0.997]); interpolated to draw skewed durations
// and amounts with integers only.
inline constexpr std::array<std::uint32_t, 65> kSkewPerMille = {
    84,   144,  187,  221,  251,  279,  305,  331,  355,  379,  403,  427,  450,  474,  497,  521,  545,
    569,  594,  619,  644,  670,  696,  723,  751,  779,  808,  837,  868,  899,  932,  965,  1000, 1036,
    1073, 1112, 1152, 1194, 1238, 1284, 1332, 1383, 1436, 1493, 1553, 1616, 1684, 1757, 1835, 1919, 2011,
    2112, 2222, 2345, 2482, 2637, 2816, 3025, 3275, 3582, 3978, 4519, 5347, 6948, 11858};

}  // namespace dealflow::analytics::detail::sample
