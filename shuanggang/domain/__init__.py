"""The pure core: the practice's model and rules. No I/O, no pandas, no spreadsheets."""
