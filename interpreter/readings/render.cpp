// The readings reports as text, Markdown, HTML and JSON: one table model, one printer a format.
#include <fmt/format.h>

#include "base/messages.hpp"
#include "readings/readings.hpp"
#include "report/escape.hpp"
#include "report/json_out.hpp"
#include "report/json_writer.hpp"

namespace pol::interp {

namespace {

using dsl::Msg;
using Row = std::vector<std::string>;

struct Section {
  std::string title;
  std::vector<std::string> lines;  // before the table
  Row head;
  std::vector<Row> rows;
};

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out(1);
  for (char ch : s) {
    if (ch == sep) out.emplace_back();
    else out.back() += ch;
  }
  return out;
}

std::string print(const std::string& title, const std::vector<Section>& sections, const std::string& format) {
  std::string out;
  if (format == "html") {
    out += "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" + html_escape(title) +
           "</title><style>body{font-family:'Noto Sans CJK SC',sans-serif;max-width:1200px;margin:2em auto}"
           "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;overflow-wrap:anywhere}"
           "</style></head><body>\n<h1>" +
           html_escape(title) + "</h1>\n";
    for (const auto& s : sections) {
      out += "<h2>" + html_escape(s.title) + "</h2>\n";
      for (const auto& l : s.lines) out += "<p>" + html_escape(l) + "</p>\n";
      if (s.rows.empty()) continue;
      out += "<table><tr>";
      for (const auto& h : s.head) out += "<th>" + html_escape(h) + "</th>";
      out += "</tr>\n";
      for (const auto& r : s.rows) {
        out += "<tr>";
        for (const auto& c : r) out += "<td>" + html_escape(c) + "</td>";
        out += "</tr>\n";
      }
      out += "</table>\n";
    }
    return out + "</body></html>\n";
  }
  bool md = format == "markdown";
  out += md ? "# " + md_escape(title, true) + "\n" : title + "\n";
  for (const auto& s : sections) {
    out += md ? "\n## " + md_escape(s.title, true) + "\n\n" : "\n" + s.title + "\n";
    for (const auto& l : s.lines) out += (md ? md_escape(l, true) + "\n\n" : "  " + l + "\n");
    if (s.rows.empty()) continue;
    auto line = [&](const Row& r) {
      std::string x = md ? "|" : " ";
      for (const auto& c : r) x += " " + (md ? md_escape(c, true) : c) + " |";
      if (!md) x.resize(x.size() - 2);
      return x + "\n";
    };
    out += line(s.head);
    if (md) {
      out += "|";
      for (std::size_t i = 0; i < s.head.size(); ++i) out += " --- |";
      out += "\n";
    }
    for (const auto& r : s.rows) out += line(r);
  }
  return out;
}

std::string alt_label(const checked::Policy& p, const ReadingChoice& c) {
  std::string s;
  for (auto [r, k] : c.picks) {
    if (!s.empty()) s += "；";
    s += p.readings[r].alternatives[static_cast<std::size_t>(k)].label;
  }
  return s;
}

std::string change_text(const checked::Policy& p, const ValueChange& ch) {
  const auto& t = p.rules[ch.rule].type;
  std::string s = text_value(p, t, ch.before) + " → " + text_value(p, t, ch.after);
  if (t.is_number()) s += fmt::format("（{}{}）", ch.after.is_negative() == ch.before.is_negative() && compare(ch.after, ch.before) >= 0 ? "+" : "", text_value(p, t, ch.after - ch.before));
  return s;
}

Section case_section(const checked::Policy& p, const CaseReadingImpact& im, std::string title) {
  Section s;
  s.title = title + "：" + alt_label(p, im.choice);
  if (im.error) {
    s.lines.push_back(dsl::textf(Msg::ReadingsFailsUnder, *im.error));
    return s;
  }
  for (const auto& ch : im.parting)
    s.lines.push_back(fmt::format("{}：{}【{}】：{}", dsl::text(Msg::ReadingsPart), p.rules[ch.rule].label,
                                  p.rules[ch.rule].clause, change_text(p, ch)));
  if (im.outputs.empty()) s.lines.emplace_back(dsl::text(Msg::ReadingsUnchanged));
  s.head = split(dsl::text(Msg::ReadingsPopulationHead), '|');
  s.head = {s.head[1], "→"};
  for (const auto& ch : im.outputs) s.rows.push_back({p.rules[ch.rule].label + "（" + p.rules[ch.rule].name + "）", change_text(p, ch)});
  return s;
}

void json_changes(const checked::Policy& p, JsonWriter& w, const char* key, const std::vector<ValueChange>& v) {
  w.key(key).begin_array();
  for (const auto& ch : v) {
    const auto& t = p.rules[ch.rule].type;
    w.begin_object().field("name", p.rules[ch.rule].name).key("before").value(p, t, ch.before).key("after").value(p, t, ch.after);
    if (t.is_number()) w.key("change").value(p, t, ch.after - ch.before);
    w.end_object();
  }
  w.end_array();
}

void json_choice(const checked::Policy& p, JsonWriter& w, const ReadingChoice& c) {
  w.key("readings").begin_array();
  for (auto [r, k] : c.picks)
    w.begin_object()
        .field("id", p.readings[r].id)
        .field("alternative", p.readings[r].alternatives[static_cast<std::size_t>(k)].name)
        .field("label", p.readings[r].alternatives[static_cast<std::size_t>(k)].label)
        .end_object();
  w.end_array();
}

}  // namespace

std::string render_case_readings(const checked::Policy& p, const CaseReadings& r, const std::string& format) {
  if (format == "json") {
    std::string out;
    JsonWriter w(out);
    w.begin_object().field("policy", p.header.name).key("alternatives").begin_array();
    auto one = [&](const CaseReadingImpact& im) {
      w.begin_object();
      json_choice(p, w, im.choice);
      if (im.error) w.field("error", *im.error);
      json_changes(p, w, "outputs", im.outputs);
      json_changes(p, w, "parting", im.parting);
      w.end_object();
    };
    for (const auto& im : r.single) one(im);
    w.end_array().key("most");
    if (r.most) one(*r.most);
    else w.null();
    w.end_object();
    return out + "\n";
  }
  std::vector<Section> sections;
  if (p.readings.empty()) sections.push_back({std::string(dsl::text(Msg::ReadingsNoAlternatives)), {}, {}, {}});
  for (const auto& im : r.single) sections.push_back(case_section(p, im, choice_text(p, im.choice)));
  if (r.most) sections.push_back(case_section(p, *r.most, std::string(dsl::text(Msg::ReadingsMost)) + " " + choice_text(p, r.most->choice)));
  return print(fmt::format("{}（{}）", dsl::text(Msg::ReadingsCaseTitle), p.header.name), sections, format);
}

std::string render_population_readings(const checked::Policy& p, const ReadingsReport& r, const std::string& format) {
  if (format == "json") {
    std::string out;
    JsonWriter w(out);
    w.begin_object().field("policy", p.header.name).field("cases", r.cases).field("errors", r.errors);
    w.key("alternatives").begin_array();
    for (const auto& a : r.alternatives) {
      w.begin_object();
      json_choice(p, w, a.choice);
      w.field("changed_cases", a.changed_cases).field("errors", a.errors).key("money_at_stake").value(p, dsl::Type::money(), a.money_at_stake);
      w.key("outputs").begin_array();
      for (std::size_t i = 0; i < a.outputs.size(); ++i) {
        const auto& st = a.outputs[i];
        if (!st.changed) continue;
        w.begin_object().field("name", st.name).field("changed", st.changed).field("first_case", a.example[i]);
        if (st.ta.is_number()) {
          if (st.ta.is_money()) w.key("total").value(p, st.ta, st.num.total);
          else w.key("total").null();  // rates and years are not summed across people
          w.key("median").value(p, st.ta, median_of(st.num));
          w.key("smallest").value(p, st.ta, st.num.deltas.begin()->first).key("largest").value(p, st.ta, st.num.deltas.rbegin()->first);
        } else {
          w.key("transitions").begin_array();
          for (const auto& [ab, n] : st.transitions)
            w.begin_object().key("from").value(p, st.ta, ab.first).key("to").value(p, st.ta, ab.second).field("cases", n).end_object();
          w.end_array();
        }
        w.end_object();
      }
      w.end_array().end_object();
    }
    w.end_array().end_object();
    return out + "\n";
  }
  Section s;
  s.title = std::string(dsl::text(Msg::ReadingsPopulationTitle));
  s.lines.push_back(dsl::textf(Msg::ReadingsCasesRead, r.cases, r.errors));
  if (p.readings.empty()) s.lines.emplace_back(dsl::text(Msg::ReadingsNoAlternatives));
  s.head = split(dsl::text(Msg::ReadingsPopulationHead), '|');
  for (const auto& a : r.alternatives) {
    std::string who = choice_text(p, a.choice) + " " + alt_label(p, a.choice);
    bool any = false;
    for (std::size_t i = 0; i < a.outputs.size(); ++i) {
      const auto& st = a.outputs[i];
      if (!st.changed) continue;
      any = true;
      Row row{who, st.label + "（" + st.name + "）", fmt::format("{}", st.changed)};
      if (st.ta.is_number()) {
        Value lo = st.num.deltas.begin()->first, hi = st.num.deltas.rbegin()->first;
        Value big = compare(-lo, hi) > 0 ? lo : hi;
        row.push_back(st.ta.is_money() ? text_value(p, st.ta, st.num.total) : std::string(dsl::text(Msg::NotSummed)));
        row.push_back(text_value(p, st.ta, median_of(st.num)));
        row.push_back(text_value(p, st.ta, big));
      } else {
        std::string tr;
        for (const auto& [ab, n] : st.transitions)
          tr += fmt::format("{}{} → {}：{}", tr.empty() ? "" : "；", text_value(p, st.ta, ab.first), text_value(p, st.ta, ab.second), n);
        row.insert(row.end(), {tr, "", ""});
      }
      row.push_back(a.example[i]);
      s.rows.push_back(std::move(row));
    }
    if (!any) s.rows.push_back({who, std::string(dsl::text(Msg::ReadingsNoCaseChanges)), "0", "", "", "", ""});
  }
  return print(fmt::format("{}（{}）", dsl::text(Msg::ReadingsPopulationTitle), p.header.name), {s}, format);
}

}  // namespace pol::interp
