from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("templat.xlsx", views.plan_template, name="template"),
    path("penilaian/<uuid:code>/", views.plan_list, name="list"),
    path("penilaian/<uuid:code>/impor/", views.plan_import, name="import"),
    path("penilaian/<uuid:code>/bawa/", views.carry_over, name="carry-over"),
    path("penilaian/<uuid:code>/monev/", views.monev_list, name="monev"),
    path("impor/<uuid:code>/", views.plan_import_preview, name="import-preview"),
    path("impor/<uuid:code>/hasil/", views.plan_import_result, name="import-result"),
    path("item/<uuid:code>/", views.plan_item_detail, name="item"),
    path("item/<uuid:code>/ubah/", views.plan_item_edit, name="item-edit"),
    path("item/<uuid:code>/baris/", views.plan_item_row, name="item-row"),
    path("item/<uuid:code>/hapus/", views.plan_item_delete, name="item-delete"),
    path("item/<uuid:code>/pindah/", views.plan_item_move, name="item-move"),
    path("item/<uuid:code>/bukti/", views.plan_item_evidence, name="item-evidence"),
    path("monev/<uuid:code>/", views.monev_period, name="period"),
    path("monev/<uuid:code>/entri/<uuid:item>/", views.monev_entry_save, name="entry-save"),
    path("monev/<uuid:code>/tutup/", views.monev_period_close, name="period-close"),
    path("monev/<uuid:code>/buka/", views.monev_period_reopen, name="period-reopen"),
]
