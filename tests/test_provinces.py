"""The province registry: both schemes, the 63→34 mapping, lookups, mentions in text, outlet URLs."""

from __future__ import annotations

import csv
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from etl import provinces
from etl.provinces import fold, name_key

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path("/work/shared/reference")
MAPPING = SHARED / "provinces_63_to_34.csv"
BEFORE, AFTER = date(2020, 1, 1), date(2025, 8, 1)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def ids(mentions: list[provinces.Mention]) -> list[tuple[str, str]]:
    return [(m.province_id, m.level) for m in mentions]


# ---- the registry --------------------------------------------------------------------------------


def test_counts_and_kinds():
    old, new = provinces.all("63"), provinces.all("34")
    assert len(old) == 63 and len(new) == 34
    assert {p.name for p in old if p.kind == "tp"} == {"Hà Nội", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"}
    assert {p.name for p in new if p.kind == "tp"} == {"Hà Nội", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ", "Huế"}
    assert len({p.iso_3166_2 for p in old}) == 63
    assert all(p.iso_3166_2 is None for p in new)
    assert all(p.name_en.isascii() for p in old + new)


def test_csv_has_the_schema_columns():
    header = next(csv.reader((ROOT / "etl/gazetteer/provinces.csv").open(encoding="utf-8")))
    schema = (ROOT / "etl/schema.sql").read_text(encoding="utf-8")
    block = schema.split("CREATE TABLE provinces", 1)[1].split(");", 1)[0]
    columns = [line.split()[0] for line in block.splitlines() if line.strip() and not line.strip().startswith(("(", "--"))]
    assert header == columns


def test_validity_and_successors():
    for p in provinces.all("63"):
        assert p.valid_to == date(2025, 6, 30) and p.valid_from is None
        s = provinces.successor(p.province_id)
        assert s.scheme == "34" and s.valid_from == date(2025, 7, 1) and s.valid_to is None
        assert p in provinces.predecessors(s.province_id)
    assert all(provinces.predecessors(p.province_id) for p in provinces.all("34"))


@pytest.mark.skipif(not MAPPING.exists(), reason="shared reference not available")
def test_merges_match_reference_mapping():
    rows = read_csv(MAPPING)
    for r in rows:
        old = provinces.get("63-" + r["old_code"])
        assert old.name == r["old_name"] and old.iso_3166_2 == r["iso_3166_2"]
        new = provinces.successor(old.province_id)
        assert new.province_id == "34-" + r["new_code"] and new.name == r["new_name"]
    sizes = Counter(len(provinces.predecessors(p.province_id)) for p in provinces.all("34"))
    assert sizes[1] == 11  # unchanged units
    assert sum(n * k for n, k in sizes.items() if n > 1) == 52 and sum(k for n, k in sizes.items() if n > 1) == 23
    assert [p.name for p in provinces.predecessors("34-25")] == ["Hòa Bình", "Phú Thọ", "Vĩnh Phúc"]


@pytest.mark.skipif(not (SHARED / "province_population.csv").exists(), reason="shared reference not available")
def test_regions_reproduce_census_regional_totals():
    """The 63-scheme region column adds the 2019 census up to the published regional totals."""
    totals: Counter[str] = Counter()
    for r in read_csv(ROOT / "data/reference/population.csv"):
        if r["basis"] == "census_2019":
            totals[provinces.get(r["province_id"]).region] += int(r["population"])
    assert totals == {
        "Đồng bằng sông Hồng": 22_543_607,
        "Bắc Trung Bộ và duyên hải miền Trung": 20_187_293,
        "Tây Nguyên": 5_842_681,
        "Đông Nam Bộ": 17_828_907,
        "Trung du và miền núi phía Bắc": 12_532_866,
        "Đồng bằng sông Cửu Long": 17_273_630,
    }
    assert len({p.region for p in provinces.all("34")}) == 6


def test_on_date():
    assert provinces.on_date("63-15", date(2024, 12, 31)).province_id == "63-15"
    assert provinces.on_date("63-15", date(2025, 6, 30)).province_id == "63-15"
    assert provinces.on_date("63-15", date(2025, 7, 1)).province_id == "34-15"  # Yên Bái → Lào Cai
    with pytest.raises(KeyError):
        provinces.get("15")  # a bare code is not an id


# ---- lookup --------------------------------------------------------------------------------------


@pytest.mark.parametrize("row", read_csv(ROOT / "etl/gazetteer/aliases.csv"), ids=lambda r: r["alias"])
def test_every_alias_resolves(row):
    p = provinces.lookup(row["alias"])
    if row["use"] in ("", "prefix"):
        assert p is not None and p.province_id == row["province_id"]
    else:
        assert p is None or p.province_id != row["province_id"] or row["use"] == "city"


@pytest.mark.parametrize(
    "written, expected",
    [
        ("Lào Cai", "63-10"), ("LÀO CAI", "63-10"), ("lao cai", "63-10"), ("Lao  Cai", "63-10"),
        ("tỉnh Lào Cai", "63-10"), ("Tỉnh Hoà Bình", "63-17"), ("Thanh Hoá", "63-38"), ("Khánh Hoà", "63-56"),
        ("TP.HCM", "63-79"), ("Tp. Hồ Chí Minh", "63-79"), ("Thành phố Hồ Chí Minh", "63-79"), ("TPHCM", "63-79"),
        ("thành phố Đà Nẵng", "63-48"), ("TP Cần Thơ", "63-92"), ("Hanoi", "63-01"), ("Ha Noi", "63-01"),
        ("Bà Rịa-Vũng Tàu", "63-77"), ("Bà Rịa – Vũng Tàu", "63-77"), ("BR-VT", "63-77"),
        ("Thừa Thiên - Huế", "63-46"), ("TT-Huế", "63-46"), ("Huế", "63-46"), ("Thành phố Huế", "63-46"),
        ("Bắc Cạn", "63-06"), ("Daklak", "63-66"), ("Đắc Lắc", "63-66"), ("Đăk Nông", "63-67"), ("Kontum", "63-62"),
    ],
)
def test_lookup_variants(written, expected):
    assert provinces.lookup(written).province_id == expected
    for form in ("NFD", "NFC"):
        assert provinces.lookup(unicodedata.normalize(form, written)).province_id == expected


@pytest.mark.parametrize("name", ["", "Việt Nam", "Hà Tây", "Vũng Tàu", "Điện Biên Phủ", "Thái Bình Dương", "tỉnh", "Sở TT&TT"])
def test_lookup_never_invents(name):
    assert provinces.lookup(name) is None


def test_lookup_by_date():
    assert provinces.lookup("Lào Cai", BEFORE).province_id == "63-10"
    assert provinces.lookup("Lào Cai", AFTER).province_id == "34-15"
    assert provinces.lookup("Lào Cai").province_id == "63-10"  # undated: the old entity
    assert provinces.lookup("Bắc Ninh", AFTER).province_id == "34-24"
    assert provinces.lookup("Bắc Giang", BEFORE).province_id == "63-24"
    # an absorbed province's name does not stand for the merged unit
    assert provinces.lookup("Yên Bái", AFTER) is None
    assert provinces.lookup("Bà Rịa - Vũng Tàu", AFTER) is None
    # unchanged territory and namesakes carry their aliases over
    assert provinces.lookup("Thừa Thiên Huế", AFTER).province_id == "34-46"
    assert provinces.lookup("Huế", date(2025, 3, 1)).province_id == "63-46"
    assert provinces.lookup("TP.HCM", AFTER).province_id == "34-79"
    assert provinces.lookup("Dak Lak", AFTER).province_id == "34-66"


def test_name_keys_are_unique_per_scheme():
    g = provinces.gazetteer()
    for scheme in ("63", "34"):
        for p in provinces.all(scheme):
            assert g.lookup(p.name, p.valid_to or p.valid_from) == p


# ---- find_mentions -------------------------------------------------------------------------------


def test_mentions_in_ranking_sentences():
    text = "Bắc Giang đứng thứ 19/63 tỉnh, TP. Năm 2019 tỉnh Lạng Sơn tăng 26 bậc."
    found = provinces.find_mentions(text)
    assert ids(found) == [("63-24", "province"), ("63-20", "province")]
    assert [text[m.start:m.end] for m in found] == ["Bắc Giang", "Lạng Sơn"] == [m.written for m in found]


@pytest.mark.parametrize(
    "text",
    [
        "Người dân mong muốn hòa bình.", "nhà hàng an giang", "thuộc vùng long an ninh", "hà nội mùa thu",
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "Đoàn TNCS Hồ Chí Minh", "khu vực Châu Á - Thái Bình Dương", "Hòa bình là khát vọng",
        "bờ thái bình dương", "Hòa bình", "tp.hcm viết thường", "ubnd tỉnh lào cai",
    ],
)
def test_no_mention(text):
    assert provinces.find_mentions(text) == []


def test_city_level():
    # Từ Sơn is one of the provincial cities in the gazetteer (etl/gazetteer/aliases.csv, use "city")
    assert ids(provinces.find_mentions("trên địa bàn thành phố Bắc Ninh và thị xã Từ Sơn")) == [
        ("63-27", "city"), ("63-27", "city")]
    assert ids(provinces.find_mentions("Đà Lạt: gần 46% văn bản")) == [("63-68", "city")]
    assert ids(provinces.find_mentions("TP. Lào Cai")) == [("63-10", "city")]
    assert ids(provinces.find_mentions("huyện Điện Biên")) == [("63-11", "city")]
    assert ids(provinces.find_mentions("Chiến thắng Điện Biên Phủ")) == [("63-11", "city")]
    assert ids(provinces.find_mentions("thành phố Đà Nẵng")) == [("63-48", "province")]
    assert ids(provinces.find_mentions("UBND thành phố Hà Nội")) == [("63-01", "province")]
    assert ids(provinces.find_mentions("các tỉnh, thành phố Bắc Ninh, Hà Nam")) == [
        ("63-27", "province"), ("63-35", "province")]


def test_longest_match_and_variants():
    text = "Thừa Thiên Huế, Huế, TT-Huế, Bà Rịa - Vũng Tàu, Vũng Tàu, TP.HCM, Tp.HCM, TP Hồ Chí Minh, Sài Gòn"
    found = provinces.find_mentions(text)
    assert [m.written for m in found] == [
        "Thừa Thiên Huế", "Huế", "TT-Huế", "Bà Rịa - Vũng Tàu", "Vũng Tàu", "TP.HCM", "Tp.HCM", "TP Hồ Chí Minh", "Sài Gòn"]
    assert ids(found) == [("63-46", "province")] * 3 + [("63-77", "province"), ("63-77", "city")] + [
        ("63-79", "province")] * 4


def test_company_names_still_mention_the_province():
    assert ids(provinces.find_mentions("Viettel Hà Nam triển khai")) == [("63-35", "province")]
    assert ids(provinces.find_mentions("báo Hà Nội Mới")) == [("63-01", "province")]


def test_whole_words_only():
    assert provinces.find_mentions("Hà Namđịnh") == []
    assert ids(provinces.find_mentions("(Nam Định)")) == [("63-36", "province")]
    assert provinces.find_mentions("Thái Bìnhx") == []


def test_mentions_nfd_offsets():
    text = unicodedata.normalize("NFD", "Sở TT&TT tỉnh Hòa Bình báo cáo")
    (m,) = provinces.find_mentions(text)
    assert m.province_id == "63-17" and text[m.start:m.end] == m.written
    assert unicodedata.normalize("NFC", m.written) == "Hòa Bình"


def test_mentions_scale_to_large_text():
    text = "Năm 2020, tỉnh Lào Cai có 912 trạm BTS; thành phố Bắc Ninh; hòa bình. " * 70_000  # ~5 MB
    found = provinces.find_mentions(text)
    assert len(found) == 140_000


@pytest.mark.skipif(not (ROOT / "data/reports").exists(), reason="seed reports not present")
def test_seed_reports_main_province():
    main = {}
    for path in sorted((ROOT / "data/reports").glob("*.txt")):
        counts = Counter(m.province_id for m in provinces.find_mentions(path.read_text(encoding="utf-8"))
                         if m.level == "province")
        main[path.name[:3]] = counts.most_common(1)[0][0] if counts else None
    assert main == {"000": "63-10", "001": "63-10", "002": "63-84", "003": "63-25", "004": "63-27"}


# ---- fold and keys -------------------------------------------------------------------------------


def test_private_fold_agrees_with_shared_fold():
    """The module's fallback fold and etl.text.fold (when present) give the same result on Vietnamese."""
    text = "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ Hòa Bình, Đắk Lắk 2025"
    text += text.lower()
    assert provinces._private_fold(text) == fold(text)
    assert provinces._private_fold(text).isascii()


def test_fold_keeps_length():
    for s in ("Đắk Lắk", unicodedata.normalize("NFD", "Thừa Thiên Huế"), "ĐẮK NÔNG – 95%", "İstanbul ǅ"):
        assert len(fold(s)) == len(s)
    assert fold("Đắk Lắk") == "dak lak"
    assert name_key("Bà Rịa-Vũng Tàu") == name_key("ba ria  –  vung tau") == "ba ria vung tau"


# ---- from_url ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://stttt.bacninh.gov.vn/news/-/details/1", "63-27"), ("http://bacninh.gov.vn", "63-27"),
        ("https://baobacninh.vn/x", "63-27"), ("https://laocai.gov.vn", "63-10"), ("https://baolaocai.vn/a", "63-10"),
        ("https://baothainguyen.vn/xa-hoi/202412/a.html", "63-19"), ("https://sonla.gov.vn", "63-14"),
        ("https://baoninhthuan.com.vn/news/141644p1c25/tin-tong-hop.htm", "63-58"),
        ("https://baotayninh.vn/index.php/x", "63-72"), ("http://baohanam.com.vn/kinh-te/a.html", "63-35"),
        ("https://baovinhphuc.com.vn", "63-26"), ("https://tintuc.vinhlong.gov.vn/a", "63-86"),
        ("https://stttt.langson.gov.vn", "63-20"), ("http://quyhoach.laocai.gov.vn/vi/bai-viet/6811", "63-10"),
        ("https://baogialai.com.vn", "63-64"), ("https://baophutho.vn", "63-25"), ("https://baodanang.vn/x", "63-48"),
        ("https://sotttt.tayninh.gov.vn", "63-72"), ("https://sotttt.angiang.gov.vn/a", "63-89"),
        ("https://baoquangnam.vn", "63-49"), ("https://hochiminhcity.gov.vn", "63-79"),
        ("https://tphcm.gov.vn", "63-79"), ("https://thuathienhue.gov.vn", "63-46"), ("https://hue.gov.vn", "63-46"),
        ("https://www.baria-vungtau.gov.vn", "63-77"), ("https://brvt.gov.vn", "63-77"), ("baodaklak.vn", "63-66"),
        ("https://sotuphap.kontum.gov.vn/x", "63-62"),
        # a national site's provincial section (a whole folder before the article's slug)
        ("https://vietnam.vn/laocai/phat-trien-ha-tang-vien-thong", "63-10"),
        ("https://example.vn/tin-tuc/quang-nam/a.html", "63-49"),
    ],
)
def test_from_url(url, expected):
    assert provinces.from_url(url).province_id == expected


@pytest.mark.parametrize(
    "url",
    ["https://dantri.com.vn/a", "https://vnexpress.net", "https://mic.gov.vn/x", "https://baomoi.com/a",
     "https://vietnamnet.vn", "https://cafef.vn", "https://www.sggp.org.vn/tay-ninh-se-phu-song.html",
     "https://ictvietnam.vn/x", "not a url", "",
     # an article's own slug that starts with a name says what it is about, not where it was published
     "https://vietnam.vn/quang-nam-co-hon-2-000-tram", "https://vietnamnet.vn/thoi-su/lao-cai-2024.html"],
)
def test_from_url_non_provincial(url):
    assert provinces.from_url(url) is None


def test_from_url_by_date():
    assert provinces.from_url("https://baoyenbai.com.vn", AFTER).province_id == "34-15"


# ---- reference data ------------------------------------------------------------------------------


@pytest.mark.skipif(not (SHARED / "province_population.csv").exists(), reason="shared reference not available")
def test_population_rows_all_resolve():
    source = read_csv(SHARED / "province_population.csv")
    ours = read_csv(ROOT / "data/reference/population.csv")
    assert len(ours) == len(source) == 1031
    for src, row in zip(source, ours, strict=True):
        assert {k: row[k] for k in src} == src  # the source columns are kept unchanged (incl. source_url)
        on = date(2025, 7, 1) if row["basis"] == "other" else date(2019, 1, 1)
        resolved = provinces.lookup(row["province"], on)
        assert resolved is not None, f"unresolved province {row['province']!r}"
        assert row["province_id"] == resolved.province_id
        assert row["source_url"].startswith("http")
    by_basis = Counter((r["basis"], r["province_id"][:2]) for r in ours)
    assert by_basis == {("census_2019", "63"): 63, ("average_population", "63"): 945, ("other", "34"): 23}
    merged = {p.province_id for p in provinces.all("34") if len(provinces.predecessors(p.province_id)) > 1}
    assert {r["province_id"] for r in ours if r["basis"] == "other"} == merged


@pytest.mark.parametrize("url,name", [
    # the annotation rules (real-dev a/README, "Province"): a slug opening with the province named as one
    ("http://dic.gov.vn/vi/news/chuyen-doi-so/tinh-dien-bien-tap-trung-phat-trien-ha-tang-so-5857.html", "Điện Biên"),
    ("https://example.vn/tin/tinh-ba-ria-vung-tau-dat-muc-tieu.html", "Bà Rịa - Vũng Tàu"),
    ("https://example.vn/tin/thanh-pho-ho-chi-minh-co-x.html", "Hồ Chí Minh"),
    ("https://dangcongsan.vn/tinh-dien-bien/abc.html", "Điện Biên"),  # a folder named "tỉnh X"
    # a slug that only starts with a name says what the article is about, not which province it is
    ("https://example.vn/tin/quang-nam-co-hon-2000-tram.html", None),
    ("https://example.vn/tin/tinh-hinh-phat-trien-ha-tang.html", None),  # "tình hình", not "tỉnh"
])
def test_province_from_a_url_slug_naming_it_as_a_province(url, name):
    from etl.provinces import from_url

    found = from_url(url)
    assert (found.name if found else None) == name
