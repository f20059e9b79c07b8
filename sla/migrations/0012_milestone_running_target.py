# The queue's "at risk" filter reads running milestones whose target is still ahead.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sla', '0011_feed_token_created_by'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='milestone',
            index=models.Index(condition=models.Q(('achieved_at__isnull', True), ('paused_at__isnull', True), ('superseded_at__isnull', True), ('target_at__isnull', False)), fields=['target_at'], name='milestone_running_target'),
        ),
    ]
