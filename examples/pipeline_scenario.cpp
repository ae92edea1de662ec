// A pipeline scenario: load the Bitrix24 default deal pipeline, create a few
// deals with Russian attributes, move them through the funnel (one move is
// refused and its reason printed), then print the history and the current
// stages as aligned tables, and the funnel as of an earlier instant.
//
// Usage: example_pipeline_scenario [PIPELINE.json]
//   default: data/pipelines/bitrix24_default.json (from the working directory,
//   else from the source tree this example was built from).
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "dealflow/io/table.h"
#include "dealflow/pipeline/engine.h"
#include "dealflow/pipeline/pipeline_json.h"

using namespace dealflow;

namespace {

constexpr int kMoscow = 180;  // UTC+03:00, minutes: times are stored in UTC, shown in Moscow time

std::string default_pipeline_path() {
  const std::string relative = "data/pipelines/bitrix24_default.json";
  if (std::filesystem::exists(relative)) return relative;
  const std::string here = __FILE__;
  const std::size_t cut = here.rfind("/examples/");
  return cut == std::string::npos ? relative : here.substr(0, cut) + "/" + relative;
}

std::string two(int v) { return std::string(v < 10 ? "0" : "") + std::to_string(v); }

// "04.03.2024 10:00" in Moscow time.
std::string local(Instant t) {
  const Date d = t.date(kMoscow);
  const int s = t.seconds_of_day(kMoscow);
  return two(d.day()) + "." + two(d.month()) + "." + std::to_string(d.year()) + " " + two(s / 3600) + ":" +
         two(s / 60 % 60);
}

Instant msk(const char* text) {
  auto t = parse_instant(text, kMoscow);
  if (!t) {
    std::cerr << t.status().to_string() << "\n";
    std::exit(1);
  }
  return *t;
}

std::string rubles(Money m) { return m.format_amount(" ", ',') + " ₽"; }

std::string percent(double p) {
  const long tenths = std::lround(p * 1000);
  return std::to_string(tenths / 10) + (tenths % 10 ? std::string(",") + std::to_string(tenths % 10) : "") + " %";
}

const std::map<std::uint32_t, std::string> kManagers = {
    {1, "Анна Смирнова"}, {2, "Борис Иванов"}, {3, "Ольга Петрова (РОП)"}};
const std::map<std::uint32_t, std::string> kClients = {
    {101, "ООО «Ромашка»"}, {102, "АО «СибЛес»"}, {103, "ИП Кузнецов"}, {104, "ПАО «Уралхим»"}, {105, "ООО «Вектор»"}};

std::string manager(ManagerId m) { return m.valid() && kManagers.count(m.value()) ? kManagers.at(m.value()) : "робот"; }
std::string client(ClientId c) { return c.valid() && kClients.count(c.value()) ? kClients.at(c.value()) : "—"; }

std::string cause_ru(EventCause c) {
  switch (c) {
    case EventCause::created: return "создана";
    case EventCause::moved: return "перемещена";
    case EventCause::reopened: return "возобновлена";
    case EventCause::timed_move: return "по таймеру";
    case EventCause::handoff_created: return "из туннеля";
    case EventCause::handoff_moved: return "по туннелю";
  }
  return "?";
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : default_pipeline_path();
  auto loaded = load_pipeline_file(path);
  if (!loaded) {
    std::cerr << loaded.status().to_string() << "\n";
    return 1;
  }
  EngineOptions options;
  options.actor_roles = {{ManagerId{1}, {"manager"}}, {ManagerId{2}, {"manager"}}, {ManagerId{3}, {"head"}}};
  auto made = Engine::make(std::move(loaded->pipeline), std::move(options));
  if (!made) {
    std::cerr << made.status().to_string() << "\n";
    return 1;
  }
  Engine& engine = *made;
  const Pipeline& p = engine.workspace().pipeline(PipelineId{0});
  auto stage = [&](const char* id) {
    auto s = p.find_stage(id);
    if (!s) {
      std::cerr << path << ": the scenario needs stage " << id << " (a Bitrix24-style pipeline)\n";
      std::exit(1);
    }
    return *s;
  };
  std::vector<std::string> notices;
  (void)engine.on_enter(PipelineId{0}, stage("WON"), "поздравление", [&](const MoveNotice& n) {
    notices.push_back(std::string("      колбэк «поздравление»: сделка ") + std::to_string(n.deal.value()) + " выиграна, уведомляем РОП");
  });

  std::cout << "Воронка «" << p.name() << "» (" << path << "), политика переходов: " << to_string(p.policy()) << "\n\n";
  TextTable stages({"этап", "название", "тип", "вероятность"}, {Align::left, Align::left, Align::left, Align::right});
  for (const Stage& s : p.stages())
    stages.add_row({s.id, s.name, std::string(to_string(s.kind)), percent(s.probability)});
  std::cout << stages.render() << "\n";

  struct Plan {
    std::uint32_t client;
    std::int64_t rubles;
    std::uint32_t owner;
    const char* created;
    std::vector<std::pair<std::string, std::string>> attributes;
  };
  const std::vector<Plan> plans = {
      {101, 1'250'000, 1, "2024-03-04T10:00",
       {{"region", "Москва"}, {"product", "Лицензии CRM"}, {"tier", "СМБ"}, {"channel", "Входящий звонок"},
        {"business", "Новый"}, {"source", "Сайт"}}},
      {102, 8'400'000, 2, "2024-03-04T11:30",
       {{"region", "Сибирь"}, {"product", "Внедрение"}, {"tier", "Корпоративный"}, {"channel", "Исходящий звонок"},
        {"business", "Новый"}, {"source", "Выставка"}}},
      {103, 96'000, 1, "2024-03-05T09:15",
       {{"region", "Поволжье"}, {"product", "Лицензии CRM"}, {"tier", "СМБ"}, {"channel", "Чат"},
        {"business", "Повторный"}, {"source", "Рекомендация"}}},
      {104, 15'700'000, 2, "2024-03-05T14:00",
       {{"region", "Урал"}, {"product", "Интеграция 1С"}, {"tier", "Корпоративный"}, {"channel", "Тендер"},
        {"business", "Новый"}, {"source", "Тендерная площадка"}}},
      {105, 480'000, 1, "2024-03-06T12:40",
       {{"region", "Москва"}, {"product", "Обучение"}, {"tier", "СМБ"}, {"channel", "Почта"},
        {"business", "Повторный"}, {"source", "Рассылка"}}},
  };
  std::vector<DealId> deals;
  for (const Plan& plan : plans) {
    NewDeal nd;
    nd.client = ClientId{plan.client};
    nd.amount = Money(plan.rubles * 100, Currency::of("RUB"));
    nd.owner = ManagerId{plan.owner};
    nd.actor = ManagerId{plan.owner};
    // Explicit: without created_at the deal is created now (the engine's clock,
    // the system clock here) and every historical move below is refused
    // (time_before_last_event).
    nd.created_at = msk(plan.created);
    nd.attributes = plan.attributes;
    const MoveResult r = engine.create(nd);
    if (!r) {
      std::cerr << "create refused: " << r.message << "\n";
      return 1;
    }
    deals.push_back(r.deal);
  }

  struct Step {
    int deal;  // index into `deals` (== the engine's DealId here)
    const char* to;
    const char* at;
    std::uint32_t actor;
  };
  const std::vector<Step> steps = {
      {0, "PREPARATION", "2024-03-04T15:20", 1},       {1, "PREPARATION", "2024-03-05T10:05", 2},
      {0, "PREPAYMENT_INVOICE", "2024-03-05T16:45", 1}, {2, "PREPARATION", "2024-03-05T17:00", 1},
      {1, "PREPAYMENT_INVOICE", "2024-03-06T11:10", 2}, {0, "EXECUTING", "2024-03-07T09:30", 1},
      {2, "LOSE", "2024-03-07T12:00", 1},               {3, "PREPARATION", "2024-03-07T13:00", 2},
      {0, "FINAL_INVOICE", "2024-03-11T10:00", 1},      {1, "EXECUTING", "2024-03-11T15:30", 2},
      {0, "WON", "2024-03-12T11:00", 3},                {2, "NEW", "2024-03-12T12:00", 3},
      {0, "EXECUTING", "2024-03-12T16:00", 1},  // refused: a won deal cannot be reopened here
      {3, "APOLOGY", "2024-03-13T10:00", 2},            {1, "FINAL_INVOICE", "2024-03-10T09:00", 2},  // refused: time
      {4, "PREPARATION", "2024-03-13T14:30", 1},
  };
  std::cout << "Перемещения (время московское):\n";
  for (const Step& s : steps) {
    const DealId id = deals[static_cast<std::size_t>(s.deal)];
    const StageId from = engine.deal(id)->stage;
    const MoveResult r = engine.move(id, stage(s.to), msk(s.at), ManagerId{s.actor});
    std::cout << "  " << local(msk(s.at)) << "  сделка " << id.value() << ": " << p.stage(from).id << " → " << s.to
              << " (" << manager(ManagerId{s.actor}) << ")\n";
    if (!r) std::cout << "      ОТКАЗ [" << to_string(r.refusal) << "]: " << r.message << "\n";
    for (const std::string& n : notices) std::cout << n << "\n";
    notices.clear();
  }

  std::cout << "\nИстория (" << engine.history().size() << " событий по " << sizeof(HistoryEvent)
            << " байт; время московское):\n";
  TextTable history({"№", "сделка", "время", "из этапа", "в этап", "кто", "причина"},
                    {Align::right, Align::right, Align::left, Align::left, Align::left, Align::left, Align::left});
  for (std::size_t i = 0; i < engine.history().size(); ++i) {
    const DecodedEvent e = engine.history().decode(engine.history().event(i));
    history.add_row({std::to_string(i + 1), std::to_string(e.deal.value()), local(e.at),
                     e.from.valid() ? p.stage(e.from).name : "—", p.stage(e.to).name, manager(e.actor),
                     cause_ru(e.cause)});
  }
  std::cout << history.render();

  auto attr = [&](const Deal& d, const char* field) {
    const std::string v = engine.value_text(*engine.find_field(field), d.attribute(*engine.find_field(field)));
    return v.empty() ? std::string("—") : v;
  };
  std::cout << "\nТекущие этапы:\n";
  TextTable current({"сделка", "клиент", "сумма", "этап", "вероятность", "на этапе с", "менеджер"},
                    {Align::right, Align::left, Align::right, Align::left, Align::right, Align::left, Align::left});
  TextTable attributes({"сделка", "регион", "продукт", "сегмент", "канал", "бизнес", "источник"},
                       {Align::right, Align::left, Align::left, Align::left, Align::left, Align::left, Align::left});
  for (DealId id : deals) {
    const Deal d = *engine.deal(id);
    current.add_row({std::to_string(id.value()), client(d.client), rubles(d.amount), p.stage(d.stage).name,
                     percent(*engine.probability(id)), local(d.stage_entered_at), manager(d.owner)});
    attributes.add_row({std::to_string(id.value()), attr(d, "region"), attr(d, "product"), attr(d, "tier"),
                        attr(d, "channel"), attr(d, "business"), attr(d, "source")});
  }
  std::cout << current.render();
  std::cout << "вероятность: переопределение сделки, если задано, иначе вероятность этапа по умолчанию\n";
  std::cout << "\nАтрибуты сделок (хранятся кодами словарей):\n" << attributes.render();

  const Instant then = msk("2024-03-07T18:00");
  const HistoryState past = engine.as_of(then);
  std::cout << "\nВоронка на " << local(then) << " (восстановлена из истории, as_of):\n";
  TextTable funnel({"этап", "сделок", "сумма"}, {Align::left, Align::right, Align::right});
  for (std::size_t k = 0; k < p.stage_count(); ++k) {
    const StageId s{static_cast<std::uint16_t>(k)};
    int count = 0;
    Money sum(0, Currency::of("RUB"));
    for (const DealState& d : past.deals())
      if (d.id.valid() && d.stage == s) {
        ++count;
        sum += d.amount;
      }
    funnel.add_row({p.stage(s).name, std::to_string(count), rubles(sum)});
  }
  std::cout << funnel.render();
  std::cout << "сделок: созданные не позже этого момента; этап: последний вход в этап не позже этого момента\n";
  return 0;
}
