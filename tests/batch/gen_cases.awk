# Deterministic jilin_2025 cases for the batch tests, one JSON object a line.
#   awk -v n=20000 [-v broken=1] -f gen_cases.awk
# With broken=1, line i with i % 100 == 50 (1% of the lines) is broken in one of 12 ways,
# in turn; `expect` (below) names the error kind pol must report for it ("-": a blank line,
# which holds no case and gives no output). expect_file=FILE writes "LINE KIND" for every
# line ("ok" for a valid case).
function pick(list, i,    a, k) { k = split(list, a, " "); return a[i % k + 1] }
function years(h) { return sprintf("%d.%02d", int(h / 100), h % 100) }
BEGIN {
  kinds = "invalid_json wrong_type unknown_field invalid_case missing_input invalid_case wrong_type - - invalid_json duplicate_field wrong_type"
  split(kinds, expect, " ")
  for (i = 1; i <= n; i++) {
    total = (i * 37) % 4000
    jilin = (i * 53) % 1700; if (jilin > total) jilin = total
    gen = pick("male female 男 女", i)
    kind = "ok"
    b = -1
    if (broken && i % 100 == 50) { b = int(i / 100) % 12; kind = expect[b + 1] }
    g = "\"gender\": \"" gen "\", "
    if (b == 4) g = ""
    if (b == 6) g = "\"gender\": \"other\", "
    if (b == 10) g = g "\"gender\": \"female\", "
    t = years(total)
    if (b == 1) t = "\"ten\""
    if (b == 3) t = "-1"
    j = years(jilin)
    if (b == 5) j = years(total + 1)
    gap = (i * 7) % 120
    if (b == 11) gap = "1.5"
    line = sprintf("{\"id\": \"c%d\", \"worker_type\": \"%s\", %s\"mode\": \"%s\", \"hukou_in_jilin\": %s, \"at_retirement_age\": %s, \"total_years\": %s, \"jilin_years\": %s, \"gap_days\": %s, \"delivery_cost\": %d.%02d%s}",
                   i, pick("self_employed part_time migrant_worker platform_worker other_flexible employee", i), g,
                   pick("combined pooling_only 单建统筹", i), (i % 3 ? "true" : "false"), (i % 7 == 0 ? "true" : "false"),
                   t, j, gap, (i * 131) % 30000, i % 100, (b == 2 ? ", \"monthly_income\": 5000" : ""))
    if (b == 0) line = substr(line, 1, length(line) - 3)
    if (b == 7) line = ""
    if (b == 8) line = "   \t "
    if (b == 9) line = "[1, 2]"
    print line
    if (expect_file != "") print i, kind > expect_file
  }
}
