"""Tables → figures: every exported figure with its caption and the table behind it
(:mod:`analysis.report.figures`)."""
