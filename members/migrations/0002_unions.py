"""The unions and IATSE locals whose members use the portal. Staff edit them in the admin."""

from django.db import migrations

UNIONS = [
    # short name, full name, category, aliases
    (
        "SAG-AFTRA",
        "Screen Actors Guild – American Federation of Television and Radio Artists",
        "performer",
        ["SAG", "AFTRA", "SAG AFTRA", "SAGAFTRA", "Screen Actors Guild"],
    ),
    ("WGA West", "Writers Guild of America West", "writer", ["WGAW", "WGA-W", "WGA W"]),
    ("WGA East", "Writers Guild of America East", "writer", ["WGAE", "WGA-E", "WGA E"]),
    ("DGA", "Directors Guild of America", "crew", ["Directors Guild"]),
    ("IATSE", "International Alliance of Theatrical Stage Employees", "crew", ["IA", "I.A.T.S.E."]),
]
IATSE_LOCALS = [
    # number, short name, full name, craft, aliases
    (
        "600",
        "IATSE Local 600",
        "International Cinematographers Guild",
        "Camera: cinematographers, operators, assistants, DITs, stills",
        ["Local 600", "ICG", "Cinematographers Guild"],
    ),
    (
        "695",
        "IATSE Local 695",
        "Production Sound Technicians, Television Engineers, Video Assist Technicians",
        "Production sound",
        ["Local 695"],
    ),
    (
        "700",
        "IATSE Local 700",
        "Motion Picture Editors Guild",
        "Picture and sound editors",
        ["Local 700", "MPEG", "Editors Guild"],
    ),
    ("705", "IATSE Local 705", "Motion Picture Costumers", "Costumers", ["Local 705"]),
    ("706", "IATSE Local 706", "Make-Up Artists and Hair Stylists Guild", "Make-up and hair", ["Local 706"]),
    (
        "800",
        "IATSE Local 800",
        "Art Directors Guild",
        "Art directors, production designers, set designers",
        ["Local 800", "ADG"],
    ),
    ("80", "IATSE Local 80", "Motion Picture Studio Grips", "Grips and crafts service", ["Local 80"]),
    ("728", "IATSE Local 728", "Studio Electrical Lighting Technicians", "Lighting", ["Local 728"]),
]


def load_unions(apps, schema_editor):
    Union = apps.get_model("members", "Union")
    for short_name, name, category, aliases in UNIONS:
        Union.objects.update_or_create(
            short_name=short_name,
            defaults={"name": name, "default_category": category, "aliases": aliases},
        )
    iatse = Union.objects.get(short_name="IATSE")
    for number, short_name, name, craft, aliases in IATSE_LOCALS:
        Union.objects.update_or_create(
            short_name=short_name,
            defaults={
                "name": name,
                "parent": iatse,
                "local_number": number,
                "craft": craft,
                "default_category": "crew",
                "aliases": aliases,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [migrations.RunPython(load_unions, migrations.RunPython.noop)]
