"""The import batches and saved mappings now belong to the imports app (imports/0001): the
opportunities app forgets them without touching their tables."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('opportunities', '0008_pipeline_list_indexes'),
        ('imports', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='importmapping',
                    name='created_by',
                ),
                migrations.DeleteModel(
                    name='ImportBatch',
                ),
                migrations.DeleteModel(
                    name='ImportMapping',
                ),
            ],
        ),
    ]
