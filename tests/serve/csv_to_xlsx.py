#!/usr/bin/env python3
"""csv_to_xlsx.py CSV XLSX: the same cases as a workbook made by python3-openpyxl, as an
analyst's spreadsheet holds them (numbers as numbers, true/false as booleans, dates as dates)."""
import csv, datetime, re, sys

import openpyxl

def cell(text):
    if re.fullmatch(r"-?(0|[1-9]\d*)", text):
        return int(text)
    if re.fullmatch(r"-?(0|[1-9]\d*)\.\d+", text):
        return float(text)
    if text in ("true", "false"):
        return text == "true"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return datetime.date.fromisoformat(text)
    return text

book = openpyxl.Workbook()
sheet = book.active
sheet.title = "人群"
with open(sys.argv[1], encoding="utf-8", newline="") as f:
    for i, row in enumerate(csv.reader(f)):
        sheet.append(row if i == 0 else [cell(c) for c in row])
book.save(sys.argv[2])
