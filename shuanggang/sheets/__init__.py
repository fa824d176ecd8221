"""Reading the spreadsheets offices really have (SPEC §4): formats, layout detection,
alias tables, rows → parsed values with findings that name file, sheet and cell."""
