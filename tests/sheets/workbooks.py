#!/usr/bin/python3
# Workbooks for tests/sheets/run.sh, written by Debian's python3-openpyxl (another program than
# pol), and the checks that read pol's output workbooks back with it.
#   workbooks.py make DIR          the input workbooks (good and bad) and the CSV of the same cases
#   workbooks.py results OUT.xlsx EXPECT.csv   pol's results workbook against pol's CSV output
#   workbooks.py report REPORT.xlsx            pol diff's workbook: two sheets, headings
import csv
import datetime
import io
import re
import struct
import sys
import zipfile

import openpyxl

HEADER = ["id", "就业类型", "性别", "lives_in_jilin", "total_years", "jilin_years", "delivery_cost",
          "at_retirement_age", "as_of"]
ROWS = [
    ["c1", "个体工商户", "女", True, 26, 16, 1234.5, False, datetime.date(2025, 6, 1)],
    ["c2", "platform_worker", "男", "TRUE", 10.5, 3, 0.1 + 0.2, "是", None],
    None,  # an empty row
    ["c3", "part_time", "female", "否", "十年", 1, None, False, None],  # text in a number column
    ["c4", "part_time", "female", False, 31, 20, "FORMULA", True, datetime.date(2025, 12, 31)],
    ["c5 <&>", "part_time", "female", False, 30.5, 20, 7, True, None],  # markup in a text cell
]
# The same cases as CSV text, as an analyst would type them (the formula's value is 123.45).
CSV = """id,就业类型,性别,lives_in_jilin,total_years,jilin_years,delivery_cost,at_retirement_age,as_of
c1,个体工商户,女,true,26,16,1234.5,false,2025-06-01
c2,platform_worker,男,true,10.5,3,0.3,true,

c3,part_time,female,false,十年,1,,false,
c4,part_time,female,false,31,20,123.45,true,2025-12-31
c5 <&>,part_time,female,false,30.5,20,7,true,
"""


def with_cached_formula_value(path, cell, value):
    """openpyxl writes a formula without its value; Excel keeps the last one it computed."""
    src = zipfile.ZipFile(path)
    parts = {n: src.read(n) for n in src.namelist()}
    src.close()
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = re.sub(r'(<c r="%s"[^>]*>)<f>([^<]*)</f><v\s*/?>(</v>)?' % cell,
                   lambda m: '%s<f>%s</f><v>%s</v>' % (m.group(1), m.group(2), value), sheet)
    assert "<v>%s</v>" % value in sheet, "the formula cell was not found"
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    write_zip(path, parts)


def write_zip(path, parts):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)


def cases_workbook(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "案例"
    ws.append(HEADER)
    for r in ROWS:
        ws.append(r if r is not None else [])
    for row in ws.iter_rows(min_row=2):
        for c in row:
            if c.value == "FORMULA":
                c.value = "=100+23.45"
    ws["I2"].number_format = "yyyy/m/d"
    ws["I6"].value = 46022  # a date serial in a date column (2025-12-31), no date format
    other = wb.create_sheet("第二页")
    other.append(["id", "worker_type", "gender"])
    other.append(["s1", "employee", "male"])
    wb.save(path)
    with_cached_formula_value(path, "G6", "123.45")


def make(d):
    cases_workbook(d + "/cases.xlsx")
    big_workbooks(d)
    with open(d + "/cases.csv", "w", encoding="utf-8") as f:
        f.write(CSV)
    # Bad workbooks.
    with open(d + "/not_zip.xlsx", "w") as f:
        f.write("id,gender\nc1,male\n")
    write_zip(d + "/no_sheet.xlsx", {"[Content_Types].xml": b"<Types/>", "docProps/app.xml": b"<Properties/>"})
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "合并"
    ws.append(["基本信息", None, "gender"])
    ws.append(["id", "worker_type", "gender"])
    ws.merge_cells("A1:B1")
    wb.save(d + "/merged.xlsx")
    for name, row in (("last_row", 1048576), ("past_last_row", 1048577)):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "大表"
        ws.append(["id", "gender"])
        ws.append(["c1", "male"])
        wb.save(d + "/%s.xlsx" % name)
        z = zipfile.ZipFile(d + "/%s.xlsx" % name)
        parts = {n: z.read(n) for n in z.namelist()}
        z.close()
        s = parts["xl/worksheets/sheet1.xml"].decode()
        s = s.replace("</sheetData>",
                      '<row r="%d"><c r="A%d" t="inlineStr"><is><t>c2</t></is></c></row></sheetData>' % (row, row))
        parts["xl/worksheets/sheet1.xml"] = s.encode()
        write_zip(d + "/%s.xlsx" % name, parts)


def big_workbooks(d):
    """A sheet of 30,000 rows (about 4 MB of XML, read in several pieces), the same cases as CSV,
    and two copies changed near the end: a row without its number (read again by one parser,
    the rows already read skipped) and a cell whose reference names another row (an error)."""
    rows = [["id", "gender", "total_years", "jilin_years"]]
    for i in range(1, 30001):
        rows.append(["b%d" % i, "male" if i % 2 else "female", 10 + i % 25, i % 15])
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("cases")
    for r in rows:
        ws.append(r)
    wb.save(d + "/big.xlsx")
    with open(d + "/big.csv", "w", encoding="utf-8") as f:
        f.write("\n".join(",".join(str(v) for v in r) for r in rows) + "\n")
    z = zipfile.ZipFile(d + "/big.xlsx")
    parts = {n: z.read(n) for n in z.namelist()}
    z.close()
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    assert len(sheet) > 3 * 1024 * 1024, "the sheet is not large enough to be read in pieces"
    for name, old, new in (("big_norow", '<row r="25000"', "<row"),
                           ("big_badref", '<c r="A25000"', '<c r="A24000"')):
        assert old in sheet, old
        changed = dict(parts)
        changed["xl/worksheets/sheet1.xml"] = sheet.replace(old, new, 1).encode()
        write_zip(d + "/%s.xlsx" % name, changed)
    damaged(d + "/big.xlsx", d + "/big_crc.xlsx", "crc")
    damaged(d + "/big.xlsx", d + "/big_corrupt.xlsx", "data")


def damaged(src, dst, how):
    """A copy of the workbook whose sheet is damaged: its CRC-32 changed where the archive records
    it ("crc"), or bytes in the middle of its compressed data changed ("data")."""
    data = bytearray(open(src, "rb").read())
    with zipfile.ZipFile(src) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    if how == "crc":
        old, new = struct.pack("<I", info.CRC), struct.pack("<I", info.CRC ^ 0xFFFF)
        assert data.count(old) == 2, "the CRC is not where a ZIP keeps it"
        data = bytearray(bytes(data).replace(old, new))
    else:
        name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26:info.header_offset + 30])
        middle = info.header_offset + 30 + name_len + extra_len + info.compress_size // 2
        for i in range(middle, middle + 64):
            data[i] ^= 0x55
    open(dst, "wb").write(data)


def number(text):
    try:
        return float(text)
    except ValueError:
        return None


def results(path, expect_csv):
    """Every cell of pol's results workbook against pol's CSV output of the same run."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    bad = []
    if ws.freeze_panes != "A3":
        bad.append("freeze panes %r, expected A3" % ws.freeze_panes)
    if not ws.auto_filter.ref or not ws.auto_filter.ref.startswith("A2:"):
        bad.append("autofilter %r" % ws.auto_filter.ref)
    rows = list(ws.iter_rows(values_only=False))
    labels = [c.value for c in rows[0]]
    names = [c.value for c in rows[1]]
    expect = list(csv.reader(io.StringIO(open(expect_csv, encoding="utf-8").read())))
    want_names = expect[0]
    if names != want_names:
        bad.append("identifier row %r, expected %r" % (names, want_names))
    for want in ("行号", "性别", "就业类型", "月缴费额（元）", "错误"):
        if want not in labels:
            bad.append("no heading %s in %r" % (want, labels))
    if len(rows) - 2 != len(expect) - 1:
        bad.append("%d data rows, expected %d" % (len(rows) - 2, len(expect) - 1))
    for r, (got, want) in enumerate(zip(rows[2:], expect[1:]), start=3):
        for c, (cell, w) in enumerate(zip(got, want)):
            name = names[c]
            v = cell.value
            where = "%s%d (%s)" % (cell.column_letter, r, name)
            if w == "":
                if v is not None:
                    bad.append("%s: %r, expected empty" % (where, v))
                continue
            if name in ("monthly_contribution", "delivery_cost", "delivery_reimbursement"):
                if cell.number_format != '"￥"0.00':
                    bad.append("%s: number format %r" % (where, cell.number_format))
            if name == "as_of":
                if not isinstance(v, datetime.datetime) or v.date().isoformat() != w:
                    bad.append("%s: %r, expected the date %s" % (where, v, w))
                if cell.number_format != "yyyy-mm-dd":
                    bad.append("%s: number format %r" % (where, cell.number_format))
            elif w in ("true", "false", "是", "否") and isinstance(v, bool):  # 是/否: a labelled CSV's
                if v != (w in ("true", "是")):
                    bad.append("%s: %r, expected %s" % (where, v, w))
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                if number(w) is None or abs(v - number(w)) > 1e-9:
                    bad.append("%s: %r, expected %s" % (where, v, w))
            elif str(v) != w:
                bad.append("%s: %r, expected %r" % (where, v, w))
    return bad


def report(path):
    wb = openpyxl.load_workbook(path)
    bad = []
    titles = [ws.title for ws in wb.worksheets]
    if titles != ["汇总", "变化的案例"]:
        bad.append("sheets %r" % titles)
        return bad
    summary = {r[0]: r[1] for r in wb.worksheets[0].iter_rows(min_row=3, values_only=True) if r[0]}
    if summary.get("案例数") != 5:
        bad.append("summary %r" % summary)
    rate = [r for r in wb.worksheets[0].iter_rows(min_row=3, values_only=True) if r[2] and "contribution_rate" in r[2]]
    if not rate or rate[0][7] != "不合计":  # a rate is not summed across people
        bad.append("rate total %r" % (rate[0][7] if rate else None))
    changed = list(wb.worksheets[1].iter_rows(min_row=3, values_only=True))
    if not changed or any(row[0] not in (2, 3, 5, 6, 7) for row in changed):
        bad.append("changed cases %r" % changed[:3])
    return bad


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
        sys.exit(0)
    problems = results(sys.argv[2], sys.argv[3]) if sys.argv[1] == "results" else report(sys.argv[2])
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)
