"""Word lists for people extraction (a package only so that installs ship the .txt files)."""
