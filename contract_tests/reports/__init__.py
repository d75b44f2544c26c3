"""What a run leaves behind: the screen summary, summary.md and junit.xml."""
