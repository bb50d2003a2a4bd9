"""The arithmetic a criteria set states (scoring/library/README.md, "Arithmetic"): where rounding
happens, where the ceiling applies, how co-scorers' marks combine without a primary scorer, what
"fewer penalties" counts, where unclassified agencies rank and whether their total is shown.

Sets stored before this migration keep what the engine did for them until now (every mark
rounded, the ceiling after the penalty); new sets take the format's defaults unless their file
states otherwise (every shipped file does).
"""

from django.db import migrations, models


def field(default, **kw):
    return models.CharField(default=default, **kw)


ROUND_AT = [("mark", "Every mark"), ("criterion", "Each criterion"), ("total", "Only the total")]
CEILING_AT = [
    ("before_penalty", "Before the penalty is subtracted"),
    ("after_penalty", "After the penalty is subtracted"),
]
SET_COMBINE = [("average", "Average of the marks"), ("maximum", "Highest mark"), ("minimum", "Lowest mark")]
PENALTIES = [("cases", "Penalty cases"), ("days", "Days late"), ("points", "Penalty points")]
UNCLASSIFIED = [
    ("last", "Ranked after every classified agency"),
    ("by_total", "Ranked by total among the others"),
    ("none", "Listed last, without a rank"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0007_agency_not_applicable_and_receipts"),
        ("scoring", "0007_dossier_reminder"),
    ]

    operations = [
        # Existing rows: today's behaviour ...
        migrations.AddField(
            model_name="criteriaset",
            name="round_at",
            field=field("mark", choices=ROUND_AT, max_length=10, verbose_name="rounding at"),
        ),
        migrations.AddField(
            model_name="criteriaset",
            name="ceiling_at",
            field=field("after_penalty", choices=CEILING_AT, max_length=20, verbose_name="ceiling applies"),
        ),
        # ... then the format's defaults for sets stored from now on.
        migrations.AlterField(
            model_name="criteriaset",
            name="round_at",
            field=field("total", choices=ROUND_AT, max_length=10, verbose_name="rounding at"),
        ),
        migrations.AlterField(
            model_name="criteriaset",
            name="ceiling_at",
            field=field("before_penalty", choices=CEILING_AT, max_length=20, verbose_name="ceiling applies"),
        ),
        migrations.AddField(
            model_name="criteriaset",
            name="combine_rule",
            field=field(
                "average", choices=SET_COMBINE, max_length=20, verbose_name="co-scorers' marks without a primary scorer"
            ),
        ),
        migrations.AddField(
            model_name="criteriaset",
            name="tie_break_penalties",
            field=field("cases", choices=PENALTIES, max_length=10, verbose_name="“fewer penalties” counts"),
        ),
        migrations.AddField(
            model_name="criteriaset",
            name="unclassified_rank",
            field=field("last", choices=UNCLASSIFIED, max_length=10, verbose_name="unclassified agencies"),
        ),
        migrations.AddField(
            model_name="criteriaset",
            name="show_unclassified_total",
            field=models.BooleanField(default=True, verbose_name="show the total of unclassified agencies"),
        ),
        migrations.AlterField(
            model_name="criterion",
            name="combine_rule",
            field=models.CharField(
                blank=True,
                choices=[
                    ("primary_wins", "Primary scorer's mark"),
                    ("average", "Average of the marks"),
                    ("maximum", "Highest mark"),
                    ("minimum", "Lowest mark"),
                    ("sum_parts", "Sum of the parts"),
                ],
                help_text="Empty: scorers inherited from the parent criterion.",
                max_length=20,
                verbose_name="combining scorers' marks",
            ),
        ),
    ]
