"""Worker heartbeats and the lease on running tasks (core.worker); a notification once per cause and recipient;
an import job's attempts. The partial index serves the workers' scan for tasks left RUNNING by a dead worker."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_configstamp'),
        ('django_tasks_database', '0021_conditional_partial_index_ordering'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='WorkerBeat',
            fields=[
                ('worker_id', models.CharField(max_length=64, primary_key=True, serialize=False)),
                ('hostname', models.CharField(blank=True, max_length=200)),
                ('pid', models.PositiveIntegerField(default=0)),
                ('started_at', models.DateTimeField()),
                ('beat_at', models.DateTimeField(db_index=True)),
                ('task_id', models.CharField(blank=True, max_length=64)),
                ('tasks_done', models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.AddField(
            model_name='importjob',
            name='attempts',
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='notification',
            name='cause',
            field=models.CharField(blank=True, default='', max_length=80),
        ),
        migrations.AddConstraint(
            model_name='notification',
            constraint=models.UniqueConstraint(condition=models.Q(('cause', ''), _negated=True), fields=('recipient', 'cause'), name='notification_once_per_cause'),
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS lianxin_tasks_running_idx ON django_tasks_database_dbtaskresult (started_at) "
            "WHERE status = 'RUNNING'",
            "DROP INDEX IF EXISTS lianxin_tasks_running_idx",
        ),
    ]
