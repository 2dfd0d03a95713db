"""A synthetic ictdash warehouse with plausible random data, for dashboard tests and benchmarks.

`build_synthetic(db_path, n_obs=20_000, seed=0)` creates a DuckDB file from `etl/schema.sql` holding
63 provinces (plus the 34 after July 2025) × years × indicators × several sources: documents whose text
contains each value's evidence sentence at the stored offsets, a few conflicting sources, targets,
values with unknown year or province, low-confidence and reviewed values, failed documents, population
and area. Everything is generated with numpy/pandas and bulk inserted, so 1,000,000 observations take
seconds, not hours.

Fixed rows that tests can rely on:
- document `synthetic_lao_cai_2013.txt`: Lào Cai (63-10) 2013 bts_stations = 912 (exact), and its text
  holds `<script>` / `<img onerror>` markup that must show as text;
- document `synthetic_failed.pdf`: status 'failed' with an error.

Run: `python -m bench.synth_warehouse out.duckdb --n-obs 1000000`.
"""

from __future__ import annotations

import argparse
import io
import time
from datetime import datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

REPO_ROOT = Path(__file__).resolve().parent.parent
SCHEMA = REPO_ROOT / "etl" / "schema.sql"
YEARS_63 = tuple(range(2012, 2025))  # reported under the 63-province scheme (default first_year 2012)
YEAR_34 = 2025  # reported under the 34-province scheme
KNOWN_DOC = "synthetic_lao_cai_2013.txt"
FAILED_DOC = "synthetic_failed.pdf"

# Stand-in catalog when etl.catalog is not importable: id, name_vi, name_en, unit, grp, direction, additive
_STAND_IN_INDICATORS = """indicator_id,name_vi,name_en,unit,grp,direction,additive
bts_stations,Số trạm thu phát sóng di động (BTS),Mobile base stations (BTS),count,infrastructure,up,true
mobile_coverage_pct,Tỷ lệ phủ sóng di động,Mobile network coverage,pct,infrastructure,up,false
fibre_coverage_pct,Tỷ lệ có cáp quang,Fibre-optic reach,pct,infrastructure,up,false
mobile_operators,Số doanh nghiệp di động,Mobile network operators,count,infrastructure,neutral,false
mobile_subscribers,Số thuê bao di động,Mobile subscriptions,count,subscribers,up,true
internet_subscribers_per_100,Mật độ thuê bao Internet,Internet density,per_100,subscribers,up,false
email_agencies_pct,Tỷ lệ cơ quan sử dụng thư điện tử,Agencies using official e-mail,pct,egov,up,false
digital_certificates,Số chứng thư số đã cấp,Digital certificates issued,count,egov,up,true
digital_economy_share_pct,Tỷ trọng kinh tế số trong GRDP,Digital economy share of GRDP,pct,digital_economy,up,false
telecom_revenue_bn_vnd,Doanh thu bưu chính viễn thông,Post and telecom revenue,bn_vnd,digital_economy,up,true
postal_service_points,Số điểm phục vụ bưu chính,Postal service points,count,postal,up,true
ict_index_rank,Xếp hạng ICT Index,Vietnam ICT Index rank,rank,rankings,down,false
"""

# Typical magnitude (low, high) for a mid-sized province, by indicator id; others follow their unit.
_MAGNITUDE = {
    "bts_stations": (300, 4000), "mobile_subscribers": (300_000, 6_000_000),
    "internet_subscribers": (20_000, 3_000_000), "phone_subscribers": (300_000, 6_000_000),
    "digital_certificates": (500, 30_000), "postal_service_points": (60, 700), "post_offices": (5, 80),
    "commune_post_cultural_points": (20, 250), "press_agencies": (2, 8), "mobile_operators": (2, 5),
    "fixed_line_operators": (1, 4), "telecom_revenue_bn_vnd": (150, 12_000),
    "postal_revenue_bn_vnd": (10, 900), "digital_economy_share_pct": (3, 25),
}
_UNIT_MAGNITUDE = {"pct": (40, 100), "per_100": (20, 140), "bn_vnd": (100, 5000), "count": (10, 1000),
                   "score": (0.2, 0.8), "rank": (1, 63)}
_SCOPES = {  # scopes an indicator is reported at, first = most common
    "mobile_coverage_pct": ["village", "commune", "population"],
    "fibre_coverage_pct": ["commune", "village", "district"],
    "email_agencies_pct": ["province", "district", "commune"],
    "email_staff_pct": ["province", "district"],
    "e_documents_pct": ["province", "district"],
}
_UNIT_WORD = {"pct": "%", "count": "", "per_100": " thuê bao/100 dân", "bn_vnd": " tỷ đồng", "rank": "",
              "score": ""}
_SCOPE_WORD = {"all": "toàn tỉnh", "province": "cấp tỉnh", "district": "cấp huyện", "commune": "cấp xã",
               "village": "thôn, bản", "population": "dân số", "household": "hộ gia đình"}
_QUAL_WORD = {"exact": "", "at_least": "trên ", "at_most": "dưới ", "approx": "khoảng "}


def _load_indicators() -> pd.DataFrame:
    try:
        from etl.catalog import load_catalog

        cat = load_catalog()
        rows = [{
            "indicator_id": i.id, "name_vi": i.name_vi, "name_en": i.name_en, "unit": i.unit,
            "grp": i.group, "direction": i.direction, "additive": bool(i.additive),
            "hard_min": i.hard_min, "hard_max": i.hard_max, "warn_min": i.warn_min, "warn_max": i.warn_max,
            "definition_vi": i.definition_vi, "definition_en": i.definition_en, "source": i.source,
        } for i in cat.indicators.values()]
        return pd.DataFrame(rows)
    except Exception:  # noqa: BLE001 - any failure falls back to the stand-in set
        df = pd.read_csv(io.StringIO(_STAND_IN_INDICATORS), dtype=str)
        df["additive"] = df["additive"] == "true"
        for col in ("hard_min", "hard_max", "warn_min", "warn_max"):
            df[col] = np.nan
        df["definition_vi"] = "Định nghĩa (dữ liệu thử): " + df["name_vi"]
        df["definition_en"] = "Definition (synthetic): " + df["name_en"]
        df["source"] = "synthetic"
        return df


def _load_provinces() -> pd.DataFrame:
    path = REPO_ROOT / "etl" / "gazetteer" / "provinces.csv"
    if path.is_file():
        df = pd.read_csv(path, dtype=str, keep_default_na=False).replace({"": None})
    else:  # a minimal stand-in: four old provinces, two merged into one
        df = pd.DataFrame([
            ["63-01", "63", "01", "Hà Nội", "Hanoi", "tp", "Đồng bằng sông Hồng", "VN-HN", None,
             "2025-06-30", "34-01"],
            ["63-10", "63", "10", "Lào Cai", "Lao Cai", "tinh", "Trung du và miền núi phía Bắc", "VN-02",
             None, "2025-06-30", "34-15"],
            ["63-15", "63", "15", "Yên Bái", "Yen Bai", "tinh", "Trung du và miền núi phía Bắc", "VN-06",
             None, "2025-06-30", "34-15"],
            ["63-27", "63", "27", "Bắc Ninh", "Bac Ninh", "tinh", "Đồng bằng sông Hồng", "VN-56", None,
             "2025-06-30", "34-24"],
            ["34-01", "34", "01", "Hà Nội", "Hanoi", "tp", "Đồng bằng sông Hồng", None, "2025-07-01", None, None],
            ["34-15", "34", "15", "Lào Cai", "Lao Cai", "tinh", "Trung du và miền núi phía Bắc", None,
             "2025-07-01", None, None],
            ["34-24", "34", "24", "Bắc Ninh", "Bac Ninh", "tinh", "Đồng bằng sông Hồng", None, "2025-07-01",
             None, None],
        ], columns=["province_id", "scheme", "code", "name", "name_en", "kind", "region", "iso_3166_2",
                    "valid_from", "valid_to", "successor_id"])
    for col in ("valid_from", "valid_to"):
        df[col] = pd.to_datetime(df[col]).dt.date
    return df


def _fmt_vi(values: np.ndarray, decimals: np.ndarray) -> list[str]:
    """Vietnamese number text: '.' groups thousands, ',' marks decimals."""
    out = []
    for v, d in zip(values.tolist(), decimals.tolist(), strict=True):
        s = f"{v:,.{d}f}"
        out.append(s.replace(",", "\x00").replace(".", ",").replace("\x00", "."))
    return out


def _round(values: np.ndarray, decimals: np.ndarray) -> np.ndarray:
    scale = 10.0 ** decimals
    return np.round(values * scale) / scale


def _observations(rng: np.random.Generator, n_obs: int, provs: pd.DataFrame, inds: pd.DataFrame,
                  pop: pd.DataFrame, years_63: tuple[int, ...] = YEARS_63) -> pd.DataFrame:
    """Random observations: keys, values, sources (doc keys), qualifiers, review states."""
    old = provs[provs["scheme"] == "63"].reset_index(drop=True)
    new = provs[provs["scheme"] == "34"].reset_index(drop=True)
    n_new = int(n_obs * 0.05) if len(new) else 0
    n_old = n_obs - n_new

    ind_ids = inds["indicator_id"].to_numpy()
    weights = np.where(np.isin(ind_ids, ["bts_stations", "fibre_coverage_pct", "digital_economy_share_pct",
                                         "email_agencies_pct", "mobile_coverage_pct"]), 3.0, 1.0)
    weights /= weights.sum()

    def sample(n: int, prov_ids: np.ndarray, years: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame({
            "province_id": rng.choice(prov_ids, n),
            "year": rng.choice(years, n).astype("int64"),
            "indicator_id": rng.choice(ind_ids, n, p=weights),
        })

    obs = pd.concat([
        sample(n_old, old["province_id"].to_numpy(), np.array(years_63)),
        sample(n_new, new["province_id"].to_numpy(), np.array([YEAR_34])) if n_new else None,
    ], ignore_index=True)
    n = len(obs)
    meta = inds.set_index("indicator_id")
    obs["unit"] = meta.loc[obs["indicator_id"], "unit"].to_numpy()

    # scope: the indicator's usual scopes (first most common), else 'all'
    scope = np.full(n, "all", dtype=object)
    for ind, scopes in _SCOPES.items():
        mask = (obs["indicator_id"] == ind).to_numpy()
        if mask.any():
            p = np.array([0.6] + [0.4 / (len(scopes) - 1)] * (len(scopes) - 1)) if len(scopes) > 1 else None
            scope[mask] = rng.choice(scopes, mask.sum(), p=p)
    obs["scope"] = scope
    obs["is_target"] = rng.random(n) < 0.08

    # the true value of each key: province size × indicator magnitude × yearly growth
    size = dict(zip(pop["province_id"], pop["size"], strict=True))
    prov_size = obs["province_id"].map(size).fillna(2.5).to_numpy()
    mags = np.array([_MAGNITUDE.get(i, _UNIT_MAGNITUDE.get(u, (10, 1000)))
                     for i, u in zip(meta.index, meta["unit"], strict=True)])
    mag = pd.DataFrame(mags, index=meta.index, columns=["lo", "hi"]).loc[obs["indicator_id"]]
    lo, hi = mag["lo"].to_numpy(float), mag["hi"].to_numpy(float)
    # a stable per-(province, indicator) level so repeated sources agree
    key_hash = pd.util.hash_pandas_object(obs[["province_id", "indicator_id"]], index=False).to_numpy()
    level = (key_hash % 10_000) / 10_000.0
    t = (obs["year"].to_numpy() - years_63[0]) / (YEAR_34 - years_63[0])
    unit = obs["unit"].to_numpy()
    is_count = np.isin(unit, ["count", "bn_vnd"])
    value = np.where(
        is_count,
        (lo + (hi - lo) * level) * np.clip(prov_size, 0.2, 5) * (0.55 + 0.45 * t) * 1.0,
        lo + (hi - lo) * np.clip(0.5 * level + 0.6 * t, 0, 1),
    )
    scope_bump = np.select([obs["scope"] == "commune", obs["scope"] == "village"], [4.0, -6.0], 0.0)
    value = np.where(unit == "pct", np.clip(value + scope_bump, 0, 100), value)
    ranks = np.isin(unit, ["rank"])
    if ranks.any():  # ranks: a stable permutation-ish value 1..63 drifting by year
        value[ranks] = 1 + ((key_hash[ranks] % 63) + obs["year"].to_numpy()[ranks] * 7) % 63
    targets = obs["is_target"].to_numpy()
    value = np.where(targets & (unit == "pct"), np.minimum(100, value * 1.15 + 5), value)
    value = np.where(targets & is_count, value * 1.2, value)
    decimals = np.select([unit == "pct", unit == "per_100", unit == "score"], [1, 1, 3], 0)
    value = _round(value, decimals)
    value = np.where((unit == "count") | (unit == "rank"), np.maximum(value, 1), value)

    # repeated sources mostly agree; about 3 % of them disagree by 5-20 %
    dup = obs.duplicated(["province_id", "year", "indicator_id", "scope", "is_target"], keep="first").to_numpy()
    disagree = dup & (rng.random(n) < 0.03)
    value = np.where(disagree, _round(value * rng.uniform(1.05, 1.2, n), decimals), value)
    obs["value"] = value.astype(float)
    obs["decimals"] = decimals

    qual = rng.choice(["exact", "at_least", "approx", "at_most"], n, p=[0.88, 0.07, 0.04, 0.01])
    obs["qualifier"] = np.where(ranks, "exact", qual)
    obs["denominator"] = np.where(ranks, np.where(obs["year"].to_numpy() >= YEAR_34, 34.0, 63.0), np.nan)
    obs["period"] = None
    obs["confidence"] = np.round(np.clip(rng.beta(9, 2, n), 0.05, 1.0), 3)
    status = rng.choice(["machine", "rejected", "corrected", "added"], n, p=[0.983, 0.01, 0.005, 0.002])
    obs["review_status"] = status
    obs["origin"] = np.where(status == "added", "curated_added", np.where(rng.random(n) < 0.05, "table", "machine"))
    obs["reviewer"] = np.where(status == "machine", None, "synthetic-reviewer")
    obs["review_reason"] = np.where(status == "machine", None, "synthetic review")
    obs["rule"] = "synthetic." + obs["indicator_id"].astype(str)

    # unknown year / unknown province for a few values (they stay out of the facts view)
    obs["year"] = obs["year"].astype("Int64")
    obs.loc[rng.random(n) < 0.004, "year"] = pd.NA
    obs["doc_province"] = obs["province_id"]
    obs["doc_year"] = obs["year"].fillna(years_63[-1]).astype(int)
    unknown_prov = rng.random(n) < 0.004
    obs.loc[unknown_prov, "province_id"] = None
    return obs


def _assign_documents(rng: np.random.Generator, obs: pd.DataFrame, provs: pd.DataFrame) -> pd.DataFrame:
    """Give each observation a document: several reports per (province, year), keyed by an integer."""
    cell = obs.groupby(["doc_province", "doc_year"], sort=True).ngroup().to_numpy()
    n_cells = int(cell.max()) + 1 if len(cell) else 1
    per_cell = max(1, int(round(len(obs) / 8 / n_cells)))
    obs["doc_key"] = cell * per_cell + rng.integers(0, per_cell, len(obs))
    return obs


def _sentences(obs: pd.DataFrame, inds: pd.DataFrame) -> list[str]:
    """The evidence sentence of each observation, as a Vietnamese report would write it."""
    names = inds.set_index("indicator_id")["name_vi"].str.lower().to_dict()
    numbers = _fmt_vi(obs["value"].to_numpy(), obs["decimals"].to_numpy())
    out = []
    for ind, number, unit, den, qual, scope, year, target in zip(
        obs["indicator_id"].tolist(), numbers, obs["unit"].tolist(), obs["denominator"].tolist(),
        obs["qualifier"].tolist(), obs["scope"].tolist(), obs["year"].tolist(), obs["is_target"].tolist(),
        strict=True,
    ):
        unit_word = f"/{int(den)}" if den == den and den is not None else _UNIT_WORD.get(unit, "")
        known_year = year is not None and year is not pd.NA
        lead = (f"Phấn đấu đến năm {year}, " if target else f"Năm {year}, ") if known_year else "Hiện nay, "
        verb = "đạt mục tiêu " if target else "đạt "
        sentence = (f"{lead}{names.get(ind, ind)} ({_SCOPE_WORD.get(scope, scope)}) {verb}"
                    f"{_QUAL_WORD.get(qual, '')}{number}{unit_word}.")
        out.append(sentence[:1].upper() + sentence[1:])
    return out


def _documents_and_offsets(obs: pd.DataFrame, provs: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Join each document's sentences into its text and record where each sentence starts."""
    names = provs.set_index("province_id")["name"].to_dict()
    obs = obs.sort_values("doc_key", kind="stable").reset_index(drop=True)
    keys = obs["doc_key"].to_numpy()
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ends = np.r_[starts[1:], len(keys)]
    first = obs.iloc[starts]
    prov_ids = first["doc_province"].tolist()
    years = first["doc_year"].astype(int).to_numpy()
    doc_ids = [f"syn_{p.replace('-', '_')}_{y}_{k}.txt" for p, y, k in
               zip(prov_ids, years.tolist(), first["doc_key"].tolist(), strict=True)]
    heads = [f"Báo cáo kết quả công tác thông tin và truyền thông tỉnh {names.get(p, '')} năm {y}\n\n"
             for p, y in zip(prov_ids, years.tolist(), strict=True)]
    evidence = obs["evidence"].tolist()
    texts, offsets = [], np.empty(len(obs), dtype=np.int64)
    for head, a, b in zip(heads, starts.tolist(), ends.tolist(), strict=True):
        pos = len(head)
        for i in range(a, b):
            offsets[i] = pos
            pos += len(evidence[i]) + 1
        texts.append(head + " ".join(evidence[a:b]))
    obs["start_offset"] = offsets
    obs["end_offset"] = offsets + obs["evidence"].str.len().to_numpy()
    obs["doc_id"] = np.repeat(np.array(doc_ids, dtype=object), ends - starts)
    month = rng.integers(1, 13, len(starts))
    day = rng.integers(1, 28, len(starts))
    docs = pd.DataFrame({
        "doc_id": doc_ids, "text": texts, "province_id": prov_ids,
        "published": pd.to_datetime({"year": years + 1, "month": month, "day": day}, errors="coerce").dt.date,
        "title": [h.strip() for h in heads], "n_values": (ends - starts).astype(int),
    })
    obs.attrs["docs"] = docs
    return obs


def _population(provs: pd.DataFrame, rng: np.random.Generator,
                years_63: tuple[int, ...] = YEARS_63) -> pd.DataFrame:
    old = provs[provs["scheme"] == "63"]
    size = np.exp(rng.normal(0, 0.5, len(old)))
    size[old["province_id"].isin(["63-01", "63-79"]).to_numpy()] = 6.0
    base = pd.DataFrame({"province_id": old["province_id"].to_numpy(), "size": size,
                         "area_km2": np.round(rng.uniform(800, 16000, len(old)), 1)})
    rows = []
    for year in years_63:
        growth = 1.0 + 0.011 * (year - years_63[0])
        rows.append(pd.DataFrame({
            "province_id": base["province_id"], "year": year,
            "population": np.round(base["size"] * 1_200_000 * growth).astype("int64"),
            "area_km2": base["area_km2"], "basis": "synthetic", "source_url": None,
        }))
    pop = pd.concat(rows, ignore_index=True)
    succ = old.set_index("province_id")["successor_id"].dropna()
    last = pop[pop["year"] == years_63[-1]].assign(successor_id=lambda d: d["province_id"].map(succ))
    merged = last.dropna(subset=["successor_id"]).groupby("successor_id").agg(
        population=("population", "sum"), area_km2=("area_km2", "sum")).reset_index()
    merged = merged.rename(columns={"successor_id": "province_id"}).assign(
        year=YEAR_34, basis="synthetic", source_url=None)
    merged["population"] = np.round(merged["population"] * 1.011).astype("int64")
    pop = pd.concat([pop, merged[pop.columns]], ignore_index=True)
    pop.attrs["size"] = base[["province_id", "size"]]
    return pop


def _fixed_rows(provs: pd.DataFrame, inds: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The documents tests rely on: Lào Cai 2013 = 912 BTS, and a failed file."""
    name = provs.set_index("province_id").get("name", pd.Series(dtype=str)).get("63-10", "Lào Cai")
    sentence = "Đến hết năm 2013, toàn tỉnh có 912 trạm phát sóng di động."
    text = (f"Sở Thông tin và Truyền thông {name} triển khai công tác năm 2014\n\n"
            "Ghi chú kỹ thuật: <script>alert('xss')</script> và <img src=x onerror=alert(1)> "
            "phải hiện như chữ. " + sentence + " Mật độ **đậm** [liên kết](http://example.invalid).")
    start = text.index(sentence)
    docs = pd.DataFrame([
        {"doc_id": KNOWN_DOC, "text": text, "province_id": "63-10",
         "published": pd.Timestamp("2014-01-07").date(), "title": f"{name}: tổng kết năm 2013", "n_values": 1},
    ])
    obs = pd.DataFrame([{
        "obs_id": "syn_known_bts_2013", "doc_id": KNOWN_DOC, "province_id": "63-10", "province_name": name,
        "year": 2013, "indicator_id": "bts_stations", "scope": "all", "value": 912.0, "unit": "count",
        "qualifier": "exact", "is_target": False, "denominator": np.nan, "period": None,
        "evidence": sentence, "start_offset": start, "end_offset": start + len(sentence),
        "rule": "synthetic.bts_stations", "confidence": 0.99, "origin": "machine",
        "review_status": "corrected", "reviewer": "synthetic-reviewer", "review_reason": "fixed test row",
    }])
    return docs, obs


def build_synthetic(db_path: str | Path, n_obs: int = 20_000, seed: int = 0, materialize_facts: bool = False,
                    first_year: int = YEARS_63[0]) -> Path:
    """Create (or replace) a synthetic warehouse at `db_path` with about `n_obs` observations.

    Values span `first_year`..2024 under the 63-province scheme and 2025 under the 34 (`first_year=2005`
    gives the 20 years of the dashboard benchmark).

    `materialize_facts=True` stores the `facts` view's rows as a table of the same name (what a
    read-only warehouse could do at build time), to measure the dashboard both ways.
    """
    t0 = time.perf_counter()
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(db_path.name + ".building")
    tmp.unlink(missing_ok=True)
    rng = np.random.default_rng(seed)
    provs = _load_provinces()
    inds = _load_indicators()
    years_63 = tuple(range(int(first_year), YEAR_34))
    pop = _population(provs, rng, years_63)
    obs = _observations(rng, max(int(n_obs) - 1, 1), provs, inds, pop.attrs["size"], years_63)
    obs = _assign_documents(rng, obs, provs)
    obs["evidence"] = _sentences(obs, inds)
    obs = _documents_and_offsets(obs, provs, rng)
    docs = obs.attrs["docs"]
    names = provs.set_index("province_id")["name"]
    obs["province_name"] = obs["province_id"].map(names)
    unknown = obs["province_id"].isna().to_numpy()
    obs.loc[unknown, "province_name"] = rng.choice(["Tây Bắc", "vùng cao", "Tỉnh bạn"], unknown.sum())
    obs["obs_id"] = "syn_" + pd.Series(np.arange(len(obs))).map("{:09d}".format)

    known_docs, known_obs = _fixed_rows(provs, inds)
    obs_cols = list(known_obs.columns)
    obs = pd.concat([obs[obs_cols], known_obs], ignore_index=True)
    obs = obs[obs["indicator_id"].isin(inds["indicator_id"])]

    docs = pd.concat([docs, known_docs], ignore_index=True)
    n_failed = max(3, len(docs) // 150)
    failed = pd.DataFrame({
        "doc_id": [FAILED_DOC] + [f"syn_failed_{i:05d}.pdf" for i in range(n_failed - 1)],
        "text": None, "province_id": None, "published": None, "title": None, "n_values": 0,
    })
    docs = pd.concat([docs, failed], ignore_index=True)
    is_failed = docs["doc_id"].isin(failed["doc_id"])
    docs["status"] = np.where(is_failed, np.where(np.arange(len(docs)) % 4 == 0, "empty", "failed"), "ok")
    docs.loc[docs["doc_id"] == FAILED_DOC, "status"] = "failed"
    docs["error"] = np.where(docs["status"] == "failed", "PDF could not be read: file is encrypted",
                             np.where(docs["status"] == "empty", "no text found (scanned image?)", None))
    docs["path"] = "data/reports/" + docs["doc_id"]
    docs["sha256"] = pd.util.hash_pandas_object(docs["doc_id"], index=False).map("{:064x}".format)
    docs["fmt"] = docs["doc_id"].str.rsplit(".", n=1).str[-1]
    docs["url"] = "https://example.invalid/" + docs["doc_id"]
    docs["extractor_version"] = "synthetic"
    docs["read_at"] = pd.Timestamp(datetime(2025, 1, 1))

    provs_out = provs.copy()
    inds_out = inds.copy()
    meta = pd.DataFrame({"key": ["extractor_version", "catalog_hash", "built_at", "synthetic"],
                         "value": ["synthetic", "synthetic", datetime.now().isoformat(timespec="seconds"),
                                   f"n_obs={len(obs)} seed={seed}"]})
    runs = pd.DataFrame([{"run_id": "synthetic", "started_at": pd.Timestamp.now(), "finished_at": pd.Timestamp.now(),
                          "n_files": len(docs), "n_read": len(docs), "n_unchanged": 0,
                          "n_failed": int(is_failed.sum()), "n_values": len(obs), "n_conflicts": 0,
                          "details": "{}"}])
    pop_out = pop.drop(columns=[], errors="ignore")

    con = duckdb.connect(str(tmp))
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute(SCHEMA.read_text(encoding="utf-8"))
        for table, frame in (("meta", meta), ("provinces", provs_out), ("indicators", inds_out),
                             ("documents", docs), ("observations", obs), ("population", pop_out),
                             ("runs", runs)):
            con.register("frame_in", frame)
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM frame_in")  # noqa: S608 - fixed names
            con.unregister("frame_in")
        if materialize_facts:
            con.execute("CREATE TABLE facts_table AS SELECT * FROM facts ORDER BY indicator_id, province_id, year")
            con.execute("DROP VIEW facts")
            con.execute("ALTER TABLE facts_table RENAME TO facts")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    tmp.replace(db_path)
    if n_obs >= 100_000:
        print(f"synthetic warehouse: {len(obs):,} observations, {len(docs):,} documents "
              f"in {time.perf_counter() - t0:.1f} s -> {db_path}")
    return db_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db_path", type=Path)
    parser.add_argument("--n-obs", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--materialize-facts", action="store_true", help="store facts as a table")
    parser.add_argument("--first-year", type=int, default=YEARS_63[0])
    args = parser.parse_args(argv)
    build_synthetic(args.db_path, n_obs=args.n_obs, seed=args.seed, materialize_facts=args.materialize_facts,
                    first_year=args.first_year)


if __name__ == "__main__":
    main()
