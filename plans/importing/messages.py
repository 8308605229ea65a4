"""Indonesian wording of the import's flags (the pipeline itself only returns codes)."""

from django.utils.translation import gettext as _


def short(code: str) -> str:
    """The short reason shown in lists and in `import_plan --json`."""
    return {
        "area": _("area tidak dikenali"),
        "indicator": _("indikator tidak dikenali"),
        "steps_empty": _("langkah aksi kosong"),
        "time_empty": _("waktu kosong"),
        "time_unreadable": _("waktu tidak terbaca"),
        "year_assumed": _("tahun dari penilaian"),
        "year_far": _("tahun jauh dari penilaian"),
    }.get(code, code)


def message(where: str, code: str, params: dict) -> str:
    """The full sentence, naming the row and the reason."""
    text = params.get("text", "")
    if code == "area":
        if text:
            reason = _("area perubahan \"%(t)s\" tidak dikenali") % {"t": text}
        elif params.get("schedule"):
            reason = _("baris jadwal tanpa area, dan kegiatannya tidak sama dengan pernyataan atau indikator "
                       "mana pun di kerangka dokumen")
        else:
            reason = _("area perubahan tidak tertulis")
        return _("%(where)s: %(reason)s; pilih areanya.") % {"where": where, "reason": reason}
    if code == "indicator":
        reason = (_("indikator \"%(t)s\" tidak dikenali pada instrumen ini") % {"t": text[:120]}) if text else \
            _("indikator tidak tertulis")
        return _("%(where)s: %(reason)s; pilih indikatornya.") % {"where": where, "reason": reason}
    if code == "steps_empty":
        return _("%(where)s: langkah aksi kosong; isi langkah aksinya.") % {"where": where}
    if code == "time_empty":
        return _("%(where)s: waktu pelaksanaan kosong; isi targetnya.") % {"where": where}
    if code == "time_unreadable":
        return _("%(where)s: waktu \"%(t)s\" tidak dapat dibaca; tulis mis. \"Juni 2025\" atau "
                 "\"Juli - Desember\".") % {"where": where, "t": text}
    if code == "year_assumed":
        return _("%(where)s: \"%(t)s\" tidak menyebut tahun; dipakai tahun penilaian %(y)s.") % {
            "where": where, "t": text, "y": params.get("year")}
    if code == "year_far":
        return _("%(where)s: tahun %(f)s pada \"%(t)s\" berjarak lebih dari satu tahun dari tahun penilaian "
                 "%(y)s.") % {"where": where, "t": text, "f": params.get("found"), "y": params.get("year")}
    return f"{where}: {code}"
