"""The demo data of the opportunities app: the tables as named records (data.py), the move 3–6
records (moves.py), targets and a deal review (pipeline.py). opportunities/demo.py is the hook
`seed_demo` finds by name; opportunities/volume.py seeds the benchmark volume."""
