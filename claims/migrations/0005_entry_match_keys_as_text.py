"""Manifest entries store their match keys as one line of text instead of JSON.

See claims.services.matching.keys.stored_keys for the format. The conversion is written
out here rather than imported, so this migration keeps working whatever the code becomes.
"""

import json

from django.db import migrations, models

BATCH = 2000


def _to_line(keys: dict) -> str:
    if not keys:
        return ""  # nothing stored: matching computes the keys from the entry itself
    return "\t".join(
        (
            keys.get("medium", ""),
            "|".join(keys.get("titles", [])),
            "|".join(keys.get("series", [])),
            "|".join(keys.get("creators", [])),
            keys.get("series_imdb_id", ""),
        )
    )


def _to_json(line: str) -> str:
    if not line:
        return "{}"
    medium, titles, series, creators, series_imdb_id = line.split("\t")
    keys = {
        "titles": titles.split("|"),
        "series": series.split("|") if series else [],
        "creators": creators.split("|") if creators else [],
    }
    if medium:
        keys["medium"] = medium
    if series_imdb_id:
        keys["series_imdb_id"] = series_imdb_id
    return json.dumps(keys, ensure_ascii=False)


def _rewrite(apps, convert) -> None:
    entry_model = apps.get_model("claims", "ManifestEntry")
    batch = []
    for pk, text in entry_model.objects.values_list("pk", "match_keys").iterator(chunk_size=BATCH):
        batch.append(entry_model(pk=pk, match_keys=convert(text)))
        if len(batch) == BATCH:
            entry_model.objects.bulk_update(batch, ["match_keys"])
            batch = []
    entry_model.objects.bulk_update(batch, ["match_keys"])


def json_to_lines(apps, schema_editor) -> None:
    # After the type change the column holds the JSON as text.
    _rewrite(apps, lambda text: _to_line(json.loads(text)) if text.startswith("{") else text)


def lines_to_json(apps, schema_editor) -> None:
    _rewrite(apps, lambda text: text if text.startswith("{") else _to_json(text))


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0004_residual_pools_and_statements"),
    ]

    operations = [
        migrations.AlterField(
            model_name="manifestentry",
            name="match_keys",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(json_to_lines, lines_to_json),
    ]
