"""The fixed catalogue of the six areas of change, shared by every instrument."""

CHANGE_AREAS = [
    ("MP", 1, "Manajemen Perubahan"),
    ("PT", 2, "Penataan Tatalaksana"),
    ("SDM", 3, "Penataan Sistem Manajemen SDM"),
    ("AK", 4, "Penguatan Akuntabilitas"),
    ("PW", 5, "Penguatan Pengawasan"),
    ("PP", 6, "Peningkatan Kualitas Pelayanan Publik"),
]


def ensure_change_areas(change_area_model) -> None:
    for code, number, name in CHANGE_AREAS:
        change_area_model.objects.update_or_create(code=code, defaults={"number": number, "name": name})
