"""Reading the spreadsheets offices really have: formats, layout detection,
alias tables, rows → parsed values with findings that name file, sheet and cell."""
