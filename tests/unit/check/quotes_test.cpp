// Citations and quotations (check/citation.hpp): the clause citations rule files write, which
// words of a source, reading or note are quotations of the text, and matching them with
// elisions, whitespace and near misses.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "check/citation.hpp"

using namespace pol::dsl;

TEST_CASE("chinese numerals") {
  CHECK(chinese_number("五") == 5);
  CHECK(chinese_number("十") == 10);
  CHECK(chinese_number("十二") == 12);
  CHECK(chinese_number("二十") == 20);
  CHECK(chinese_number("二十三") == 23);
  CHECK(chinese_number("一百零五") == 105);
  CHECK_FALSE(chinese_number("五a"));
  CHECK_FALSE(chinese_number(""));
}

TEST_CASE("clause citations") {
  auto c = parse_citation("（五）第二段");
  REQUIRE(c.refs.size() == 1);
  CHECK(c.refs[0].kind == ClauseRef::Kind::Clause);
  CHECK(c.refs[0].number == 5);
  CHECK(c.refs[0].paragraph == 2);
  CHECK(c.remark.empty());

  c = parse_citation("（三）（四）");
  REQUIRE(c.refs.size() == 2);
  CHECK(c.refs[1].number == 4);

  c = parse_citation("（五）经办认定优先");
  REQUIRE(c.refs.size() == 1);
  CHECK(c.remark == "经办认定优先");

  c = parse_citation("最后一段（复查复议）");
  REQUIRE(c.refs.size() == 1);
  CHECK(c.refs[0].kind == ClauseRef::Kind::Last);
  CHECK(c.remark == "（复查复议）");

  c = parse_citation("第五条至第八条");
  REQUIRE(c.refs.size() == 4);
  CHECK(c.refs[3].kind == ClauseRef::Kind::Article);
  CHECK(c.refs[3].number == 8);

  CHECK(parse_citation("(十一)").refs.at(0).number == 11);
  CHECK(parse_citation("43号").refs.empty());
  CHECK(parse_citation("浙劳社医〔2003〕218号 参保范围").refs.empty());
}

TEST_CASE("which words are quotations of the text") {
  std::vector<std::string> labels{"已达到法定退休年龄"};
  auto q = find_quotations("通知（三）：灵活就业人员以85%为缴费基数", "", labels);
  REQUIRE(q.size() == 1);
  CHECK(q[0].cited);
  CHECK(q[0].text == "灵活就业人员以85%为缴费基数");
  CHECK(q[0].offset == std::string("通知（三）：").size());

  // A grade after the words is the file's own remark.
  q = find_quotations("办法第一条：逐步延迟至六十三周岁（B级）", "", labels);
  REQUIRE(q.size() == 1);
  CHECK(q[0].text == "逐步延迟至六十三周岁");

  // Another document's number, a rewording, a declaration's label: not the text's words.
  CHECK(find_quotations("2%为国发〔1998〕44号全国基准“一般为本人工资收入的2%”", "", labels).empty());
  CHECK(find_quotations("国家43号文写作“3个月（含）”", "", labels).empty());
  CHECK(find_quotations("A4：读作“不少于2年”", "", labels).empty());
  CHECK(find_quotations("经办给出“已达到法定退休年龄”的，以其认定为准", "", labels).empty());
  CHECK(find_quotations("仅见第三方仓库“养老金计算平台”", "", labels).empty());
  // The text's own number does not make a quotation another document's.
  q = find_quotations("劳社厅发〔2003〕10号规定“可规定”", "劳社厅发〔2003〕10号", labels);
  REQUIRE(q.size() == 1);
  CHECK(q[0].text == "可规定");
  // Two quotations in one reading.
  q = find_quotations("A3：“累计缴费年限”区别于“实际缴费年限”", "", labels);
  REQUIRE(q.size() == 2);
  CHECK(q[1].text == "实际缴费年限");
  // A prefix that is not a citation is not a quotation.
  CHECK(find_quotations("待统筹地区设定：未找到", "", labels).empty());
}

TEST_CASE("matching quotations: whitespace, elisions, order, near misses") {
  const std::string text = "（五）在职转退休。累计缴费年限男满30年、女满25年，\n　　且在我省省内的职工基本医疗保险实际缴费年限达到15年。";
  auto t = prepare_text(text);
  CHECK(match_quotation(t, text, "累计缴费年限男满30年").found);
  // Whitespace in the text (a line break, an ideographic space) or in the quotation is ignored.
  CHECK(match_quotation(t, text, "女满25年，且在我省").found);
  CHECK(match_quotation(t, text, "女满25年， 且 在我省").found);
  // Each piece between elisions must appear, in order.
  CHECK(match_quotation(t, text, "累计缴费年限……女满25年").found);
  CHECK(match_quotation(t, text, "累计缴费年限…达到15年").found);
  auto m = match_quotation(t, text, "达到15年……累计缴费年限");
  CHECK_FALSE(m.found);
  CHECK_FALSE(m.whole);
  CHECK(m.missing == "累计缴费年限");
  // ( ) are read as （ ）.
  CHECK(match_quotation(t, text, "(五)在职转退休").found);
  // A near miss: one character changed; the closest passage is the text's own words.
  m = match_quotation(t, text, "累计缴费年限男满20年");
  CHECK_FALSE(m.found);
  CHECK(m.whole);
  CHECK(m.distance == 1);
  CHECK(m.closest == "累计缴费年限男满30年");
  CHECK(text.substr(m.begin, m.end - m.begin) == "累计缴费年限男满30年");
  // The closest passage of a paraphrase spans the line break, shown without the whitespace.
  m = match_quotation(t, text, "女满25年且在本省");
  CHECK_FALSE(m.found);
  CHECK(m.closest.find("女满25年") != std::string::npos);
  CHECK(m.closest.find('\n') == std::string::npos);
}
