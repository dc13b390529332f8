// Reading cases (JSON objects and CSV rows) against the fixture policy's inputs: values, enum
// values given by identifier or Chinese label, defaults, and errors that name the field.
#include <doctest/doctest.h>

#include <string>

#include "base/calendar.hpp"
#include "cases/case.hpp"
#include "fixture.hpp"

using pol::interp::Case;
using pol::interp::CaseError;
using pol::interp::CsvCaseReader;
using pol::interp::InputState;

namespace {

struct Reading {
  pol::test::Loaded l = pol::test::load_fixture();

  std::uint32_t slot(const char* name) const {
    const int s = l.policy->find_input(name);
    REQUIRE_MESSAGE(s >= 0, "no input ", name);
    return static_cast<std::uint32_t>(s);
  }
  int ordinal(const char* enum_name, const char* value) const {
    for (const auto& e : l.policy->enums)
      if (e.name == enum_name) return e.find(value);
    FAIL("no enum ", enum_name);
    return -1;
  }
  std::string value(const Case& c, const char* name) const { return c.values.at(slot(name)).to_string(); }
  InputState state(const Case& c, const char* name) const { return c.state.at(slot(name)); }

  Case json_ok(const std::string& json) const {
    Case c;
    CaseError err;
    INFO(json, " -> ", err.kind, ": ", err.message);
    REQUIRE(pol::test::read_json_case(*l.schema, json, c, err));
    return c;
  }
  CaseError json_fails(const std::string& json) const {
    Case c;
    CaseError err;
    INFO(json);
    CHECK_FALSE(pol::test::read_json_case(*l.schema, json, c, err));
    return err;
  }
};

bool mentions(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_SUITE("cases") {
  TEST_CASE("JSON: values by type, enums by identifier or label, the id, the defaults") {
    Reading r;
    Case c = r.json_ok(R"({"id": "c1", "gender": "女", "mode": "pooling_only", "total_years": 20.5, "gap_days": 91})");
    CHECK(c.id_text == "c1");
    CHECK(c.id_json == "\"c1\"");
    CHECK(pol::checked::as_enum(c.values[r.slot("gender")]) == r.ordinal("Gender", "female"));
    CHECK(pol::checked::as_enum(c.values[r.slot("mode")]) == r.ordinal("Mode", "pooling_only"));
    CHECK(r.value(c, "total_years") == "20.5");
    CHECK(r.value(c, "gap_days") == "91");
    CHECK(r.state(c, "total_years") == InputState::Given);
    // Left out, with a default: the default.
    CHECK(r.state(c, "delivery_cost") != InputState::Given);
    CHECK(r.value(c, "delivery_cost") == "0");

    Case m = r.json_ok(R"({"gender": "male", "mode": "单建统筹", "as_of": "2025-08-01"})");
    CHECK(pol::checked::as_enum(m.values[r.slot("gender")]) == r.ordinal("Gender", "male"));
    CHECK(pol::checked::as_enum(m.values[r.slot("mode")]) == r.ordinal("Mode", "pooling_only"));
    CHECK(m.as_of == pol::parse_date("2025-08-01"));
    CHECK(m.id_text.empty());
  }

  TEST_CASE("JSON: a bad field is named in the error") {
    Reading r;
    auto wrong = r.json_fails(R"({"gender": "male", "total_years": "20"})");
    CHECK(wrong.kind == "wrong_type");
    CHECK(wrong.field == "total_years");
    CHECK(mentions(wrong.message, "total_years"));

    auto unknown_value = r.json_fails(R"({"gender": "other"})");
    CHECK(unknown_value.field == "gender");
    CHECK(mentions(unknown_value.message, "other"));

    auto unknown_key = r.json_fails(R"({"gender": "male", "gendr": "male"})");
    CHECK(unknown_key.kind == "unknown_field");
    CHECK(unknown_key.field == "gendr");
    CHECK(mentions(unknown_key.message, "gendr"));

    auto fraction = r.json_fails(R"({"gender": "male", "gap_days": 1.5})");
    CHECK(fraction.field == "gap_days");
    CHECK(mentions(fraction.message, "gap_days"));

    auto broken = r.json_fails(R"({"gender": "male", )");
    CHECK(broken.kind == "invalid_json");
  }

  TEST_CASE("CSV: a header row names the columns; each row is read like a JSON object") {
    Reading r;
    CsvCaseReader reader(*r.l.schema);
    CaseError err;
    REQUIRE(reader.read_header("id,gender,mode,total_years,gap_days,as_of", err));
    Case c;
    INFO(err.kind, ": ", err.message);
    REQUIRE(reader.read("c2,男,统账结合,30,0,2025-08-01", c, err));
    CHECK(c.id_text == "c2");
    CHECK(pol::checked::as_enum(c.values[r.slot("gender")]) == r.ordinal("Gender", "male"));
    CHECK(pol::checked::as_enum(c.values[r.slot("mode")]) == r.ordinal("Mode", "combined"));
    CHECK(r.value(c, "total_years") == "30");
    CHECK(c.as_of == pol::parse_date("2025-08-01"));
    Case d;
    REQUIRE(reader.read("c3,female,pooling_only,12.25,5,", d, err));
    CHECK(pol::checked::as_enum(d.values[r.slot("gender")]) == r.ordinal("Gender", "female"));
    CHECK(r.value(d, "total_years") == "12.25");
    CHECK(r.value(d, "gap_days") == "5");
  }

  TEST_CASE("CSV: a bad cell or an unknown column is named in the error") {
    Reading r;
    CsvCaseReader reader(*r.l.schema);
    CaseError err;
    REQUIRE(reader.read_header("id,gender,total_years", err));
    Case c;
    CHECK_FALSE(reader.read("c4,male,abc", c, err));
    CHECK(err.field == "total_years");
    CHECK(mentions(err.message, "total_years"));
    CaseError enum_err;
    CHECK_FALSE(reader.read("c5,astronaut,1", c, enum_err));
    CHECK(enum_err.field == "gender");

    CsvCaseReader other(*r.l.schema);
    CaseError header_err;
    CHECK_FALSE(other.read_header("id,gendr", header_err));
    CHECK(mentions(header_err.message, "gendr"));
  }
}
