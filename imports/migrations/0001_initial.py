"""The import batches and saved mappings move here from the opportunities app: only Django's
state changes (their tables keep their names, db_table), and their content types follow so
that admin permissions granted before stay granted."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MODELS = ["importbatch", "importmapping"]


def _relabel(apps, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=old, model__in=MODELS).update(app_label=new)


def move_content_types(apps, schema_editor):
    _relabel(apps, "opportunities", "imports")


def move_content_types_back(apps, schema_editor):
    _relabel(apps, "imports", "opportunities")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('contenttypes', '0002_remove_content_type_name'),
        ('opportunities', '0008_pipeline_list_indexes'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='ImportMapping',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
                        ('kind', models.CharField(choices=[('users', 'users and teams'), ('products', 'products'), ('accounts', 'accounts (客户)'), ('contacts', 'contacts'), ('opportunities', 'opportunities')], max_length=20, verbose_name='kind of data')),
                        ('columns', models.JSONField(blank=True, default=dict, help_text="Our field → the source's column.", verbose_name='columns')),
                        ('values', models.JSONField(blank=True, default=dict, help_text="Our field → {the source's value: ours}.", verbose_name='value mappings')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='import_mappings', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                    ],
                    options={
                        'verbose_name': 'import mapping',
                        'verbose_name_plural': 'import mappings',
                        'db_table': 'opportunities_importmapping',
                        'ordering': ['kind', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='ImportBatch',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('kind', models.CharField(choices=[('users', 'users and teams'), ('products', 'products'), ('accounts', 'accounts (客户)'), ('contacts', 'contacts'), ('opportunities', 'opportunities')], max_length=20, verbose_name='kind of data')),
                        ('filename', models.CharField(max_length=255, verbose_name='file')),
                        ('content', models.BinaryField(verbose_name='content')),
                        ('columns', models.JSONField(blank=True, default=dict, verbose_name='columns')),
                        ('values', models.JSONField(blank=True, default=dict, verbose_name='value mappings')),
                        ('report', models.JSONField(blank=True, default=dict, verbose_name='report')),
                        ('state', models.CharField(choices=[('previewed', 'previewed (nothing written)'), ('imported', 'imported')], db_index=True, default='previewed', max_length=10, verbose_name='state')),
                        ('imported_at', models.DateTimeField(blank=True, null=True, verbose_name='imported')),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='import_batches', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
                        ('mapping', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='batches', to='imports.importmapping', verbose_name='saved mapping')),
                    ],
                    options={
                        'verbose_name': 'import',
                        'verbose_name_plural': 'imports',
                        'db_table': 'opportunities_importbatch',
                        'indexes': [models.Index(fields=['created_by', 'created_at'], name='import_batch_user_idx')],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
