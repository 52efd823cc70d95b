"""The confirmed import as the worker runs it (imports/jobs.py), at the allowed maximum:
50,000 Maven-shaped opportunity rows (the real pipeline's rows repeated under new ids).
Runs inside `manage.py shell` on the database of DATABASE_URL, after `import_maven` has loaded
the users, products and accounts the rows name; prints the seconds and the peak RSS of the
process while it ran the job (what the worker would hold, Django included).

    DATABASE_URL=postgres://…/cuilong_bench .venv/bin/python manage.py shell -c \
        "exec(open('benchmarks/import_job.py').read())"
"""

import csv
import gc
import io
import json
import time
from pathlib import Path

from crm.models import User
from imports import jobs, reading, services
from imports.models import ImportBatch

ROWS = 50_000
source = Path("../shared/datasets/maven-crm/sales_pipeline.csv").read_text(encoding="utf-8-sig")
pipeline = list(csv.DictReader(io.StringIO(source)))
out = io.StringIO()
writer = csv.DictWriter(out, fieldnames=list(pipeline[0]))
writer.writeheader()
for index in range(ROWS):
    row = dict(pipeline[index % len(pipeline)])
    row["opportunity_id"] = f"BENCH{index:06d}"
    writer.writerow(row)
content = out.getvalue().encode()

admin = User.objects.filter(is_superuser=True).order_by("pk").first()
spec = services.maven_mappings()["opportunities"]
table = reading.read_table(content, "bench-50k.csv")
batch = ImportBatch(
    kind="opportunities",
    filename="bench-50k.csv",
    content=content,
    columns=spec["columns"],
    values=spec["values"],
    created_by=admin,
)
services.store_table(batch, table)
batch.save()
del table, content, out, pipeline, source
gc.collect()
# What the job holds, not what building the file above held: Linux resets the process's peak
# resident size (VmHWM) on this write.
Path("/proc/self/clear_refs").write_text("5")
started = time.perf_counter()
jobs.start(batch, admin, skip_rejected=True)
jobs.run(batch.pk)
seconds = time.perf_counter() - started
batch.refresh_from_db()
peak_mb = next(
    int(line.split()[1]) / 1024
    for line in Path("/proc/self/status").read_text().splitlines()
    if line.startswith("VmHWM:")
)
print(
    json.dumps(
        {
            "rows": ROWS,
            "seconds": round(seconds, 1),
            "peak_rss_mb": round(peak_mb),
            "state": batch.state,
            "created": batch.report.get("created"),
            "updated": batch.report.get("updated"),
            "rejected": len(batch.report.get("rejected", [])),
        }
    )
)
