// The grammar and the parser: PEGTL analysis, accept/reject tables, error recovery, and the
// bytes a rule file may hold (BOM, CRLF, tabs, invalid UTF-8, NUL).
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <variant>
#include <tao/pegtl/contrib/analyze.hpp>

#include "check/checker.hpp"
#include "syntax/format.hpp"
#include "syntax/grammar.hpp"
#include "syntax/parser.hpp"

using pol::dsl::DiagCode;
using pol::dsl::ParseResult;
using pol::dsl::SourceFile;

namespace {

const char* kHeader = "policy t \"测试\"\n";

ParseResult parse_text(const std::string& text) {
  return pol::dsl::parse(std::make_shared<SourceFile>("t.pol", text));
}

std::string all_diags(const ParseResult& r) {
  std::string s;
  for (const auto& d : r.diagnostics) s += pol::dsl::render(d);
  return s;
}

// Parses `src` and requires no diagnostics at all.
void parse_ok(const std::string& src) {
  auto r = parse_text(src);
  INFO("source:\n", src, "\ndiagnostics:\n", all_diags(r));
  CHECK(r.diagnostics.empty());
  CHECK(!r.module.decls.empty());
}

// Parses `src` and requires at least one error with `code`.
const pol::dsl::Diagnostic* parse_fails(const std::string& src, DiagCode code = DiagCode::SyntaxError) {
  static ParseResult keep;
  keep = parse_text(src);
  INFO("source:\n", src, "\ndiagnostics:\n", all_diags(keep));
  const pol::dsl::Diagnostic* found = nullptr;
  for (const auto& d : keep.diagnostics)
    if (d.code == code && !found) found = &d;
  CHECK_MESSAGE(found != nullptr, "expected ", pol::dsl::code_name(code));
  return found;
}

}  // namespace

TEST_SUITE("parser") {
  TEST_CASE("the grammar has no PEG problems") {
    CHECK(tao::pegtl::analyze<pol::dsl::grammar::declaration>() == 0);
    CHECK(tao::pegtl::analyze<pol::dsl::grammar::expr>() == 0);
  }

  TEST_CASE("accepts well-formed declarations") {
    const char* accept[] = {
        "policy t \"测试\"",
        "policy t \"测试\"\n  issuer \"某局\"\n  number \"1号\"\n  effective 2025-04-01\n  source \"a.txt\"",
        "policy t \"t\" extends \"../base.pol\"",
        "enum Gender \"性别\" {\n  male \"男\"\n  female \"女\"\n}",
        "enum E { a \"A\" }",
        "input gender : Gender \"性别\" clause \"（五）\"",
        "input x : years \"年限\" default 0 min 0 max total_years clause \"（五）\"\n  reading \"口径\"",
        "input d : date \"日期\" default 2025-01-01",
        "input m : money \"金额\" default -1.5",
        "param r : rate \"费率\" clause \"（三）\"\n  85% from 2025-04-01 source \"通知\"",
        "param r : rate \"费率\"\n  2/3 source \"通知\"",
        "param w : money \"工资\"\n  7178.50 from 2024-07-01 placeholder \"未证实\"\n  7322.08 from 2025-07-01 placeholder \"未证实\"",
        "param n : days \"天数\"\n  90 days from 2025-04-01 source \"s\"",
        "let a : bool \"甲\" = true",
        "let a : bool \"甲\" clause \"（一）\" reading \"口径\" = x in {p, q} or (y == Gender.male and not z)",
        "output o : money \"额\" = round(a * b)",
        "output o : money \"额\" = round_down(a, 2) + round_up(b, 0) - min(a, b, c) * max(1, 2) / 3",
        "output o : days \"天\" = 2025-08-01 - 2025-04-01",
        "output o : money \"额\" = -a",
        "output o : money \"额\" = - - a",
        "output o : money \"额\" = as_of(2025-03-31, base)",
        "output o : money \"额\" = param.waiting_period_months",
        "output o : bool \"真\" = a != b and a <= b and a >= b and a < b or a > b",
        "output o : E \"结果\" = when a then x clause \"（五）\" when b then y otherwise z",
        "output o : E \"结果\"\n  = when a then x\n    otherwise z clause \"c\"",
        "output o : rate \"费率\" = match mode\n  when combined then 1%\n  when pooling_only, other then 2%",
        "output o : rate \"费率\" = match mode when a then 1% otherwise 2%",
        "output o : years \"年\" = 30 years",
        "output o : months \"月\" = 6 months",
        "override param r : rate \"费率\"\n  7% from 2025-04-01 placeholder \"长春\"",
        "override let a : bool \"甲\" = false",
        "override output o : money \"额\" = 1",
        "override input i : bool \"乙\" default true",
        "constraint a + b <= c \"之和不得超过\" clause \"（五）\"",
        "note \"（十）\" \"没有可计算的后果\"",
        "test \"一\" clause \"（五）\" {\n  given a = 1, b = male\n  at 2025-08-01\n  set r = 7%\n  expect o = 2, p = true\n}",
        "test \"错\" { expect error \"缺少\" }",
        "# a comment\npolicy t \"t\" # trailing comment\n",
        "policy t \"含\\\"引号\\\"与\\\\反斜杠\"",
        "policy t \"# not a comment\"",
    };
    for (const char* src : accept) parse_ok(src);
  }

  TEST_CASE("rejects malformed declarations") {
    const char* reject[] = {
        "policy \"no name\"",
        "policy t",
        "policy t \"t\" effective 2025-4-1",
        "enum E { a }",
        "enum E { a \"A\"",
        "input x \"no type\"",
        "input x : \"no type\"",
        "input x : bool",
        "input policy : bool \"keyword as name\"",
        "param r : rate \"费率\"\n  85%",
        "param r : rate \"费率\"\n  85% from 2025-04-01",
        "let a : bool \"甲\"",
        "let a : bool \"甲\" =",
        "let a : bool \"甲\" = (x",
        "let a : bool \"甲\" = x in {p, q",
        "let a : bool \"甲\" = x in p",
        "let a : bool \"甲\" = when x y otherwise z",
        "let a : bool \"甲\" = when x then otherwise z",
        "let a : bool \"甲\" = match m",
        "let a : bool \"甲\" = a +",
        "let a : bool \"甲\" = not",
        "let a : bool \"甲\" = round(",
        "let a : bool \"甲\" = round()",
        "override enum E { a \"A\" }",
        "constraint a < b",
        "note \"（十）\"",
        "test \"t\" { given a }",
        "test \"t\" { expect }",
        "test \"t\" given a = 1",
        "banana",
        "policy t \"t\"\n  foo \"bar\"",
        "let 1a : bool \"x\" = true",
        "output o : money \"额\" = 1e5",
    };
    for (const char* src : reject) {
      auto r = parse_text(src);
      INFO("source:\n", src);
      CHECK(pol::dsl::has_errors(r.diagnostics));
    }
  }

  TEST_CASE("a syntax error names what was expected and where") {
    auto* d = parse_fails(std::string(kHeader) + "let a : bool \"甲\" = when x y otherwise z\n");
    REQUIRE(d);
    CHECK(d->message.find("expected 'then'") != std::string::npos);
    CHECK(d->message.find("found 'y'") != std::string::npos);
    auto lc = d->file->line_col(d->range.begin);
    CHECK(lc.line == 2);
    CHECK(lc.col == 27);  // characters, the wide 甲 counting one
  }

  TEST_CASE("error recovery: two broken declarations give two diagnostics") {
    std::string src = std::string(kHeader) +
                      "let a : bool \"甲\" = when x y otherwise z\n"
                      "input ok : bool \"好\"\n"
                      "output o : money \"额\" = (1 + ) * 2\n"
                      "input ok2 : bool \"好\"\n";
    auto r = parse_text(src);
    INFO(all_diags(r));
    CHECK(r.diagnostics.size() == 2);
    // The good declarations around them are kept.
    CHECK(r.module.decls.size() == 3);
    REQUIRE(r.diagnostics.size() == 2);
    CHECK(r.diagnostics[0].file->line_col(r.diagnostics[0].range.begin).line == 2);
    CHECK(r.diagnostics[1].file->line_col(r.diagnostics[1].range.begin).line == 4);
  }

  TEST_CASE("an error at the very end of a declaration does not swallow the next one") {
    // A missing ')' at the end of a rule is reported at the end of its line, and the next
    // declaration is still read.
    std::string src = std::string(kHeader) +
                      "output o : money \"额\" = (1 + 2\n"
                      "input ok2 : bool \"好\"\n";
    auto r = parse_text(src);
    INFO(all_diags(r));
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].file->line_col(r.diagnostics[0].range.begin).line == 2);
    CHECK(r.module.decls.size() == 2);  // the header and input ok2
    CHECK(r.diagnostics[0].range.begin == src.find("2\n") + 1);
    CHECK(r.diagnostics[0].message.find("found the end of the line (the next line starts 'input')") != std::string::npos);
  }

  TEST_CASE("garbage between declarations is one error and parsing goes on") {
    std::string src = std::string(kHeader) + "input a : bool \"a\"\n%%% junk\nmore junk\ninput b : bool \"b\"\n";
    auto r = parse_text(src);
    INFO(all_diags(r));
    CHECK(r.diagnostics.size() == 1);
    CHECK(r.module.decls.size() == 3);
    REQUIRE(!r.diagnostics.empty());
    CHECK(r.diagnostics[0].message.find("expected a declaration") != std::string::npos);
  }

  TEST_CASE("a byte-order mark is accepted") {
    parse_ok("\xEF\xBB\xBF" + std::string(kHeader) + "input a : bool \"a\"\n");
  }

  TEST_CASE("invalid UTF-8 is rejected with E0102 and its position") {
    std::string src = std::string(kHeader) + "input a : bool \"a\xff\"\n";
    auto* d = parse_fails(src, DiagCode::InvalidUtf8);
    REQUIRE(d);
    CHECK(d->range.begin == src.find('\xff'));
    auto lc = d->file->line_col(d->range.begin);
    CHECK(lc.line == 2);
    CHECK(lc.col == 18);
    CHECK(pol::dsl::render(*d).find("t.pol:2:18: error: ") == 0);
    // A truncated multi-byte sequence and an overlong encoding are invalid too.
    parse_fails(std::string(kHeader) + "note \"\xe4\xb8\" \"x\"\n", DiagCode::InvalidUtf8);
    parse_fails(std::string(kHeader) + "note \"\xc0\xaf\" \"x\"\n", DiagCode::InvalidUtf8);
  }

  TEST_CASE("a NUL byte is rejected") {
    std::string src = std::string(kHeader) + "input a : bool \"a\"\n";
    src.insert(src.size() - 2, 1, '\0');
    auto* d = parse_fails(src, DiagCode::InvalidUtf8);
    REQUIRE(d);
    CHECK(d->range.begin == src.size() - 3);
    CHECK(d->message.find("NUL") != std::string::npos);
  }

  TEST_CASE("CRLF line ends are accepted") {
    parse_ok("policy t \"t\"\r\n  issuer \"x\"\r\n\r\n# comment\r\ninput a : bool \"a\" default false\r\n"
             "let b : bool \"b\"\r\n  = a\r\n    and not a\r\n");
  }

  TEST_CASE("tabs are accepted as whitespace") {
    parse_ok("policy\tt\t\"t\"\n\tissuer \"x\"\ninput\ta :\tbool \"a\"\nlet b : bool \"b\"\n\t= a\tand\ta\n");
  }

  TEST_CASE("an empty file parses to nothing and check reports the missing header") {
    auto r = parse_text("");
    CHECK(r.diagnostics.empty());
    CHECK(r.module.decls.empty());
    auto c = pol::dsl::check_source(std::make_shared<SourceFile>("t.pol", ""));
    CHECK(!c.policy);
    REQUIRE(c.diagnostics.size() == 1);
    CHECK(c.diagnostics[0].code == DiagCode::MissingHeader);
    // Only comments: the same.
    auto c2 = pol::dsl::check_source(std::make_shared<SourceFile>("t.pol", "# nothing here\n\n"));
    REQUIRE(c2.diagnostics.size() == 1);
    CHECK(c2.diagnostics[0].code == DiagCode::MissingHeader);
  }

  TEST_CASE("a file stopping mid-rule gives a syntax error at the end of the file") {
    for (std::string tail : {"let a : bool \"甲\" = x and", "let a : bool \"甲\" =", "output o : money \"额\" = round(a",
                             "let a : bool \"甲\" = when x then"}) {
      std::string src = std::string(kHeader) + tail;
      auto* d = parse_fails(src);
      REQUIRE(d);
      CHECK(d->range.begin == src.size());
      CHECK(d->message.find("end of file") != std::string::npos);
    }
  }

  TEST_CASE("an unterminated string") {
    std::string src = std::string(kHeader) + "input a : bool \"没有结尾\ninput b : bool \"b\"\n";
    auto* d = parse_fails(src);
    REQUIRE(d);
    CHECK(d->message.find("unterminated string") != std::string::npos);
    CHECK(d->file->line_col(d->range.begin).line == 2);
    // Recovery: the next declaration still parses.
    auto r = parse_text(src);
    CHECK(r.diagnostics.size() == 1);
    CHECK(r.module.decls.size() == 2);
  }

  TEST_CASE("limits: long names and deep nesting are clear errors") {
    parse_fails(std::string(kHeader) + "input " + std::string(65, 'a') + " : bool \"a\"\n", DiagCode::LimitExceeded);
    std::string deep = std::string(kHeader) + "let a : bool \"a\" = " + std::string(200, '(') + "true" +
                       std::string(200, ')') + "\n";
    parse_fails(deep, DiagCode::LimitExceeded);
  }

  TEST_CASE("the range of a comparison ends at its right operand") {
    std::string src = std::string(kHeader) + "output o : bool \"o\" = a > b\noutput p : bool \"p\" = c in {x, y}\n";
    auto r = parse_text(src);
    INFO(all_diags(r));
    REQUIRE(r.module.decls.size() == 3);
    const auto* o = std::get_if<pol::dsl::ast::RuleDecl>(&r.module.decls[1]);
    const auto* p = std::get_if<pol::dsl::ast::RuleDecl>(&r.module.decls[2]);
    REQUIRE(o);
    REQUIRE(p);
    auto text = [&](pol::dsl::SourceRange rg) {
      if (rg.end < rg.begin || rg.end > src.size()) return std::string("<range ends outside the file>");
      return src.substr(rg.begin, rg.end - rg.begin);
    };
    CHECK(text(o->body->range) == "a > b");
    CHECK(text(p->body->range) == "c in {x, y}");
  }

  TEST_CASE("literals keep their exact values") {
    auto r = parse_text(std::string(kHeader) + "param r : rate \"r\"\n  0.5% source \"s\"\n  2/3 from 2025-01-01 source \"s\"\n");
    INFO(all_diags(r));
    REQUIRE(r.diagnostics.empty());
    auto c = pol::dsl::check_source(std::make_shared<SourceFile>(
        "t.pol", std::string(kHeader) + "param r : rate \"r\"\n  0.5% source \"s\"\n  2/3 from 2025-01-01 source \"s\"\n"
                 "output o : rate \"o\" = r\n"));
    REQUIRE(c.policy);
    const auto& p = c.policy->params.at(0);
    REQUIRE(p.values.size() == 2);
    CHECK(p.values[0].value.to_string() == "0.005");
    CHECK(p.values[1].value.to_string() == "0.666666666666666667");
  }
  TEST_CASE("a chain of more than 256 operands is one clear error, not a stack overflow") {
    std::string sum = "x";
    for (int i = 0; i < 20000; ++i) sum += " + x";
    auto* d = parse_fails(std::string(kHeader) + "output y : money \"和\" = " + sum + "\n", DiagCode::LimitExceeded);
    REQUIRE(d);
    CHECK(d->message == "20001 operands in one chain of operators; at most 256 are allowed: split it with 'let'");
    std::string ok = "x";
    for (int i = 0; i < 255; ++i) ok += " and x";
    parse_ok(std::string(kHeader) + "output y : bool \"与\" = " + ok + "\n");
  }

  TEST_CASE("fmt keeps a comment after code at the end of its line, and is idempotent") {
    std::string src = std::string(kHeader) +
                      "input wage : money \"工资\" default 0  # 月工资\n"
                      "param rate : rate \"费率\"  # 费率\n"
                      "  8% source \"x\"  # 值\n"
                      "output x : money \"甲\"\n"
                      "  = when wage > 3 then round(wage * rate)  # 分支\n"
                      "    otherwise 0  # 其他\n";
    auto r = parse_text(src);
    REQUIRE(r.diagnostics.empty());
    std::string once = pol::dsl::format_module(r.module);
    CHECK(once.find("input wage : money \"工资\" default 0  # 月工资\n") != std::string::npos);
    CHECK(once.find("param rate : rate \"费率\"  # 费率\n  8% source \"x\"  # 值\n") != std::string::npos);
    CHECK(once.find("  = when wage > 3 then round(wage * rate)  # 分支\n    otherwise 0  # 其他\n") != std::string::npos);
    auto again = parse_text(once);
    REQUIRE(again.diagnostics.empty());
    CHECK(pol::dsl::format_module(again.module) == once);
  }
  TEST_CASE("a number has at most 18 significant digits, and a refused one causes no other error") {
    auto* d = parse_fails(std::string(kHeader) + "output y : money \"大\" = 1234567890.1234567890\n", DiagCode::LimitExceeded);
    REQUIRE(d);
    CHECK(d->message == "number '1234567890.1234567890' has too many digits: at most 18, before and after the point together");
    parse_fails(std::string(kHeader) + "output y : money \"大\" = 1234567890123456789\n", DiagCode::LimitExceeded);
    parse_ok(std::string(kHeader) + "output y : money \"大\" = 123456789012345678\n");
    parse_ok(std::string(kHeader) + "output y : rate \"小\" = 0.000000000000000001\n");
    auto r = pol::dsl::check_source(std::make_shared<pol::dsl::SourceFile>(
        "t.pol", std::string(kHeader) + "output y : money \"大\" = 999999999999999999.00 * 1000\n"));
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == DiagCode::LimitExceeded);
  }

  TEST_CASE("control characters are shown as their pictures, never raw") {
    std::string src = std::string(kHeader) + "input x : money \"金\x01额\" default 0\n";
    CHECK(pol::dsl::visible("a\x01" "b\rc\td") == "a\u2401" "b\u240D" "c\td");
    auto file = std::make_shared<pol::dsl::SourceFile>("t.pol", src);
    std::string snip = file->snippet({static_cast<std::uint32_t>(src.find('\x01')), static_cast<std::uint32_t>(src.find('\x01') + 1)});
    CHECK(snip.find('\x01') == std::string::npos);
    CHECK(snip.find("\u2401") != std::string::npos);
  }
}
