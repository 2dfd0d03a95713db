"""Contract of the indicator catalog file (etl/catalog/indicators.yaml)."""

from __future__ import annotations

import pytest

from etl.catalog import CatalogError, load_catalog, parse_catalog

FIXED_IDS = """bts_stations mobile_coverage_pct fibre_coverage_pct phone_subscribers phone_subscribers_per_100
mobile_subscribers mobile_subscribers_per_100 internet_subscribers internet_subscribers_per_100
fixed_broadband_households_pct email_agencies_pct email_staff_pct e_documents_pct digital_certificates
e_portal_agencies_pct data_network_agencies_pct online_public_services_pct online_dossiers_pct
digital_economy_share_pct digital_economy_share_rank telecom_revenue_bn_vnd postal_revenue_bn_vnd
smartphone_users_pct internet_users_pct postal_service_points post_offices commune_post_cultural_points
mobile_operators fixed_line_operators ict_index_rank ict_index_score dti_rank dti_score""".split()


def test_every_fixed_id_is_catalogued():
    cat = load_catalog()
    assert set(FIXED_IDS) <= set(cat.indicators)


@pytest.mark.parametrize("ind_id", FIXED_IDS)
def test_indicator_metadata_is_complete_and_sane(ind_id):
    ind = load_catalog().indicators[ind_id]
    assert ind.name_vi and ind.name_en and ind.definition_vi and ind.definition_en and ind.source
    assert ind.hard_min is not None and ind.hard_max is not None and ind.hard_min < ind.hard_max
    if ind.warn_max is not None:
        assert ind.hard_min < ind.warn_max < ind.hard_max
    if ind.unit == "pct":
        assert ind.hard_max <= 100
    if ind.unit == "rank":
        assert ind.direction == "down" and not ind.additive
    assert ind.rules, f"{ind_id} has no phrasing rule"
    assert all(r.indicator == ind_id for r in ind.rules)


def test_rule_ids_are_unique():
    ids = [r.id for r in load_catalog().rules]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("header,expected", [
    ("bts_stations", "bts_stations"),
    ("Số trạm BTS", "bts_stations"),
    ("Trạm BTS (trạm)", "bts_stations"),
    ("Mobile subscribers", "mobile_subscribers"),
    ("Tỷ trọng kinh tế số", "digital_economy_share_pct"),
    ("Mật độ thuê bao Internet", "internet_subscribers_per_100"),
    ("ICT Index", "ict_index_rank"),
    ("Ghi chú", None),
    ("", None),
])
def test_match_header(header, expected):
    assert load_catalog().match_header(header) == expected


def test_bad_catalog_is_reported_with_its_indicator():
    bad = """
indicators:
  x_pct:
    name_vi: a
    name_en: b
    unit: furlongs
    group: egov
    direction: up
    definition_vi: d
    definition_en: d
    source: s
"""
    with pytest.raises(CatalogError, match="x_pct.*unit"):
        parse_catalog(bad)
    with pytest.raises(CatalogError, match="unknown topic"):
        parse_catalog(bad.replace("furlongs", "pct") + "    rules:\n      - {id: r, form: after, unit: pct, pattern: '{nope}'}\n")


def test_content_hash_changes_with_content():
    a = parse_catalog("indicators: {}\n")
    b = parse_catalog("indicators: {}\n# changed\n")
    assert a.content_hash != b.content_hash
