"""Load benchmarks of Hearth's live rooms and REST list against bare servers under the same worker."""
