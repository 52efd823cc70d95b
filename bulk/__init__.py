"""Bulk actions on the lists: reassign, close as abandoned, mark done, download the chosen rows
(beside `imports/` and `search/` at the top of the layers)."""
