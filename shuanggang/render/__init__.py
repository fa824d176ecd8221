"""Writing what leaves the tool: letters (HTML, docx) and styled Excel workbooks."""
