import pytest

from lzt.core.errors import LztInputError
from lzt.export import sheet_spec as ss


def test_sheet_numbers_follow_the_domain_oracle():
    # DOMAIN.md §4.2 [C]: EPSG:4547 N 2513606.3, E 525354.4
    e, n = 525354.4, 2513606.3
    assert ss.sheet_number(e, n, 500) == "2513.50-525.25"
    assert ss.sheet_number(e, n, 1000) == "2513.5-525.0"
    assert ss.sheet_number(e, n, 2000) == "2513.0-525.0"


@pytest.mark.parametrize("no, scale, want", [
    ("2513.50-545.00", None, (500, (545000.0, 2513500.0, 545250.0, 2513750.0))),
    ("2513.5-525.0", None, (1000, (525000.0, 2513500.0, 525500.0, 2514000.0))),
    ("2513.0-525.0", 2000, (2000, (525000.0, 2513000.0, 526000.0, 2514000.0))),
])
def test_parse_sheet_number(no, scale, want):
    sc, ext = ss.parse_sheet_number(no, scale)
    assert sc == want[0]
    assert ext == pytest.approx(want[1])
    # and back: the number of the sheet's own south-west corner is the number given
    assert ss.sheet_number(ext[0] + 1, ext[1] + 1, sc) == no


@pytest.mark.parametrize("no, scale", [("2513.60-525.25", None), ("2513.5-525.0", 2000), ("abc", None),
                                       ("2513.50-525.25", 5000)])
def test_bad_sheet_numbers(no, scale):
    with pytest.raises(LztInputError):
        ss.parse_sheet_number(no, scale)


def test_nice_scale_and_fit():
    assert ss.nice_scale(1234) == 1500
    assert ss.nice_scale(2000) == 2000
    assert ss.nice_scale(130_000) == 150_000
    frame = ss.Box(0, 0, 200, 100)  # mm
    s = ss.fit_scale((0, 0, 10_000, 1_000), frame, 0.0)  # 10 km into 0.2 m -> 1:50000
    assert s == 50_000
    ext = ss.extent_at_scale((5000, 500), s, frame)
    assert ext[2] - ext[0] == pytest.approx(200 * s / 1000)


@pytest.mark.parametrize("paper, landscape", [("A4", False), ("A3", True), ("A1", False), ("A0", True)])
def test_layout_boxes_fit_on_the_page(paper, landscape):
    lay = ss.plan_layout(ss.SheetSpec(paper=paper, landscape=landscape))
    w, h = ss.page_size(paper, landscape)
    for b in (lay.frame, lay.title, lay.panel, lay.footer):
        assert 0 <= b.x and b.right <= w + 1e-6 and 0 <= b.y and b.bottom <= h + 1e-6
    assert lay.frame.bottom <= lay.footer.y and lay.frame.y >= lay.title.bottom


def test_standard_frame_needs_a_big_paper():
    with pytest.raises(LztInputError, match="A1"):
        ss.plan_layout(ss.SheetSpec(paper="A3"), (500.0, 500.0))
    lay = ss.plan_layout(ss.SheetSpec(paper="A1"), (500.0, 500.0))
    assert (lay.frame.w, lay.frame.h) == (500.0, 500.0)


def test_spec_validation():
    with pytest.raises(LztInputError, match="--paper"):
        ss.SheetSpec(paper="B5").validated()
    with pytest.raises(LztInputError, match="only one"):
        ss.SheetSpec(center=(0, 0), extent=(0, 0, 1, 1)).validated()
    with pytest.raises(LztInputError, match="--extent"):
        ss.SheetSpec(extent=(5, 0, 1, 1)).validated()
    assert ss.SheetSpec(paper="a4").validated().paper == "A4"


def test_scale_bar_is_a_round_length_that_fits():
    length, segs = ss.scale_bar_length(2000, 80)  # 80 mm at 1:2000 = 160 m
    assert length == 100 and segs == 4
    length, segs = ss.scale_bar_length(150_000, 80)  # 12 km
    assert length == 10_000


def test_adjoining_sheets_surround_the_sheet():
    rows = ss.adjoining_sheets("2513.50-525.25")
    assert rows == (("2513.75-525.00", "2513.75-525.25", "2513.75-525.50"),
                    ("2513.50-525.00", "2513.50-525.25", "2513.50-525.50"),
                    ("2513.25-525.00", "2513.25-525.25", "2513.25-525.50"))
    assert ss.adjoining_sheets("2513.0-525.0", 2000)[0] == ("2514.0-524.0", "2514.0-525.0", "2514.0-526.0")
