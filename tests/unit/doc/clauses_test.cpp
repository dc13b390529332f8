// The clause splitter of pol doc (doc/clauses.hpp): texts whose lines are paragraphs and texts
// wrapped at a width, clause and section marks, the paragraphs of a clause, the closing.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "doc/clauses.hpp"

using pol::interp::resolve;
using pol::interp::split_clauses;
using pol::interp::TextUnit;
using Kind = TextUnit::Kind;

TEST_CASE("a text whose lines are its paragraphs") {
  const std::string text =
      "关于某事的通知\n\n为做好某事，通知如下：\n\n一、参保范围\n\n（一）参保条件。某甲可以参保。\n\n"
      "（二）参保模式。可以选择。\n第二种情形另行规定。\n\n第三种情形从其规定。\n"
      "二、其他\n（十一）精准动员。做好宣传。\n\n本通知自2025年4月1日起施行。\n";
  auto units = split_clauses(text);
  REQUIRE(units.size() == 7);
  CHECK(units[0].kind == Kind::Preamble);
  CHECK(units[0].paragraphs.size() == 2);
  CHECK_FALSE(units[0].counted);
  CHECK(units[1].kind == Kind::Section);
  CHECK(units[1].number == 1);
  CHECK_FALSE(units[1].counted);  // a heading alone
  CHECK(units[2].kind == Kind::Clause);
  CHECK(units[2].mark == "（一）");
  CHECK(units[3].number == 2);
  REQUIRE(units[3].paragraphs.size() == 3);
  CHECK(units[3].paragraphs[1] == "第二种情形另行规定。");
  CHECK(units[4].kind == Kind::Section);
  CHECK(units[5].number == 11);
  REQUIRE(units[5].paragraphs.size() == 1);  // the closing is not part of the last clause
  CHECK(units[6].kind == Kind::Closing);
  CHECK(units[6].counted);

  std::size_t missing = 0;
  auto places = resolve(units, pol::dsl::parse_citation("（二）第三段").refs, missing);
  REQUIRE(places.size() == 1);
  CHECK(places[0].unit == 3);
  CHECK(places[0].paragraph == 3);
  places = resolve(units, pol::dsl::parse_citation("最后一段").refs, missing);
  REQUIRE(places.size() == 1);
  CHECK(places[0].unit == 6);
  CHECK(missing == 0);
  places = resolve(units, pol::dsl::parse_citation("（九）（一）").refs, missing);
  CHECK(places.size() == 1);
  CHECK(missing == 1);
  CHECK(resolve(units, pol::dsl::parse_citation("（二）第四段").refs, missing).empty());
  CHECK(missing == 2);
}

TEST_CASE("a text wrapped at a width, with ASCII parentheses and a date") {
  const std::string text =
      "　　【标题】 某指导意见\n　　【发文号】 某发〔2003〕10号\n　　\n"
      "　　(一)灵活就业人员参加基本医疗保险是解决他们医疗保障问题的重要措施，也是促进就\n"
      "　　业和再就业的要求。\n　　\n"
      "　　(二)结合经济发展水平，制定相应\n　　政策和管理办法。\n　　\n"
      "　　二○○三年五月二十六日\n";
  auto units = split_clauses(text);
  REQUIRE(units.size() == 4);
  CHECK(units[0].kind == Kind::Preamble);
  CHECK(units[0].paragraphs.size() == 2);  // each 【】 line its own
  CHECK(units[1].kind == Kind::Clause);
  CHECK(units[1].number == 1);
  REQUIRE(units[1].paragraphs.size() == 1);
  CHECK(units[1].paragraphs[0] == "(一)灵活就业人员参加基本医疗保险是解决他们医疗保障问题的重要措施，也是促进就业和再就业的要求。");
  CHECK(units[2].paragraphs[0] == "(二)结合经济发展水平，制定相应政策和管理办法。");
  CHECK(units[3].kind == Kind::Closing);
  CHECK_FALSE(units[3].counted);  // a date is not a clause
}
