"""What a run leaves behind, one module per format: screen.py (the summary printed), markdown.py
(summary.md), html.py (summary.html), junit.xml (junit.py) and evidence.har (har.py); facts.py
holds what they all state the same way, evidence.py the failing exchanges they point to."""
