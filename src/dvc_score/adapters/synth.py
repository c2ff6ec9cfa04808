"""A deterministic synthetic Vietnamese province in the normalized model.

``generate`` builds the four normalized tables (units, procedures, dossiers,
petitions) inside DuckDB; ``write`` exports them as Parquet or CSV. The data
are meant for demos, benchmarks and end-to-end tests, so they must look like a
real province's export and give every indicator something to measure.

How the data are drawn:

- **Randomness** comes from a murmur3 ``fmix32`` finalizer evaluated in SQL
  over ``(row key, seed, salt)``, never from ``random()`` or DuckDB's
  ``hash()`` (neither is stable across versions, threads or machines). Only
  integer and IEEE basic arithmetic is used, so a seed gives identical tables
  everywhere (checked on DuckDB 1.1.3 and 2.0.0; a test pins a digest).
  Large tables take two 16-bit uniforms per 32-bit hash.
- **Units**: one province, 20 departments, 10 districts and 120 communes. Each
  unit draws a latent *quality* and every rate (online share, late share,
  e-result share, …) mixes that quality (60 %) with unit noise (40 %) inside a
  range that depends on the unit's level. Good units are good at most things
  but not all, so units rank differently per indicator, as in real rankings.
- **Procedures**: departments own their sector's codes; districts and
  communes pick subsets of shared level catalogs. Fee, paper result, citizens,
  duration and the publication dates (12 % decided too late, 10 % published
  late, unpublished at year end → NULL) are properties of the national code;
  online level and payment integration are set per applying unit, except
  that a unit's three most used procedures are always online.
- **Volumes**: departments take 35 % of dossiers (Công an tỉnh, Sở Tư pháp,
  land and social insurance dominate), districts 20 %, communes 45 %. Within a
  unit, procedure popularity falls off like ``rank ** -1.5``, so small units
  have online services without dossiers. Days are weighted by weekday, Tết and
  public holidays; 2 % of dossiers arrive in the previous December (skewed to
  its end) and are carried over.
- **Outcomes**: processing time is a skewed fraction of the legal duration,
  or the duration plus an overrun for the unit's late share. Supplement
  requests (5 % one, 0.5 % more) stop the clock, so some dossiers finish after
  their due date yet are on time net of supplement days. The data are
  extracted at the end of ``year``: dossiers whose processing would end later
  are still in progress (status 4/5/6). Late dossiers draw more unsatisfied
  ratings and complaints. Carried-over dossiers end on or after 1 January.

Sampling from weights uses slot tables built with integer arithmetic: item
``k`` owns the slots whose midpoints fall in its cumulative-weight interval,
and a draw joins on ``slot`` (a hash join, far cheaper than a range join).
"""

from __future__ import annotations

import unicodedata
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import duckdb

from dvc_score.model.schema import DOSSIERS, PETITIONS, PROCEDURES, UNITS, Table

DEFAULT_SEED = 766
DEFAULT_DOSSIERS = 300_000

# --------------------------------------------------------------------------
# Reference data (static, seed-independent). Text blocks keep it compact.
# --------------------------------------------------------------------------

PROVINCE_CODE = "H99"
PROVINCE_NAME = "UBND tỉnh Sông Mã"

# "<department> | <relative dossier volume>", then its procedures, most used first.
_DEPARTMENT_TEXT = """
Sở Tư pháp | 45
    Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam
    Chứng thực bản sao từ bản chính giấy tờ do cơ quan nước ngoài cấp
    Đăng ký khai sinh có yếu tố nước ngoài
    Đăng ký kết hôn có yếu tố nước ngoài
    Đăng ký hoạt động văn phòng công chứng
    Cấp chứng chỉ hành nghề luật sư
    Thôi quốc tịch Việt Nam
    Cấp thẻ đấu giá viên
Sở Xây dựng | 30
    Đổi giấy phép lái xe do ngành giao thông vận tải cấp
    Cấp giấy phép xây dựng công trình
    Cấp phù hiệu xe ô tô kinh doanh vận tải
    Cấp giấy phép kinh doanh vận tải bằng xe ô tô
    Cấp chứng chỉ hành nghề hoạt động xây dựng
    Cấp chứng chỉ năng lực hoạt động xây dựng
    Thẩm định báo cáo nghiên cứu khả thi đầu tư xây dựng
    Đăng ký xe máy chuyên dùng
Công an tỉnh | 100
    Cấp hộ chiếu phổ thông
    Cấp đổi thẻ căn cước
    Đăng ký xe ô tô
    Cấp lại giấy phép lái xe
    Khai báo tạm trú cho người nước ngoài
    Cấp giấy chứng nhận đủ điều kiện về an ninh, trật tự
    Thẩm duyệt thiết kế về phòng cháy và chữa cháy
    Cấp giấy phép sử dụng vật liệu nổ công nghiệp
Sở Y tế | 18
    Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh
    Cấp giấy phép hoạt động khám bệnh, chữa bệnh
    Cấp giấy chứng nhận đủ điều kiện kinh doanh dược
    Cấp chứng chỉ hành nghề dược
    Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm
    Cấp số tiếp nhận phiếu công bố sản phẩm mỹ phẩm
    Giám định y khoa
Sở Tài chính | 28
    Đăng ký thành lập doanh nghiệp
    Đăng ký thay đổi nội dung đăng ký doanh nghiệp
    Thông báo tạm ngừng kinh doanh
    Đăng ký thành lập hợp tác xã
    Cấp giấy chứng nhận đăng ký đầu tư
    Chấp thuận chủ trương đầu tư
    Cấp mã số đơn vị có quan hệ với ngân sách
Sở Nội vụ | 15
    Giải quyết hưởng trợ cấp thất nghiệp
    Cấp giấy phép lao động cho người lao động nước ngoài
    Giải quyết chế độ người có công với cách mạng
    Cấp giấy phép hoạt động dịch vụ việc làm
    Thành lập hội
    Tặng Bằng khen của Chủ tịch UBND tỉnh
    Cấp giấy phép cho thuê lại lao động
Sở Công Thương | 10
    Cấp giấy phép bán lẻ sản phẩm rượu
    Cấp giấy phép bán lẻ sản phẩm thuốc lá
    Đăng ký thực hiện khuyến mại
    Cấp giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu
    Cấp giấy phép hoạt động điện lực
    Cấp giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh
Sở Nông nghiệp và Môi trường | 40
    Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất
    Cấp giấy chứng nhận quyền sử dụng đất lần đầu
    Cấp giấy chứng nhận kiểm dịch động vật vận chuyển ra khỏi địa bàn tỉnh
    Cấp giấy phép môi trường
    Cấp giấy phép khai thác, sử dụng nước mặt
    Cấp giấy phép khai thác khoáng sản
    Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm nông, lâm, thủy sản
    Cấp giấy phép khai thác thủy sản
Sở Giáo dục và Đào tạo | 12
    Cấp bản sao văn bằng, chứng chỉ từ sổ gốc
    Chỉnh sửa nội dung văn bằng, chứng chỉ
    Chuyển trường đối với học sinh trung học phổ thông
    Công nhận trường trung học đạt chuẩn quốc gia
    Cho phép trường trung học phổ thông hoạt động giáo dục
    Cấp phép hoạt động giáo dục kỹ năng sống
Sở Khoa học và Công nghệ | 6
    Cấp giấy phép tiến hành công việc bức xạ
    Cấp chứng chỉ nhân viên bức xạ
    Cấp giấy chứng nhận đăng ký hoạt động khoa học và công nghệ
    Cấp giấy phép thiết lập trang thông tin điện tử tổng hợp
    Cấp giấy phép xuất bản bản tin
    Cấp giấy chứng nhận doanh nghiệp khoa học và công nghệ
Sở Văn hóa, Thể thao và Du lịch | 6
    Cấp thẻ hướng dẫn viên du lịch
    Cấp giấy phép kinh doanh dịch vụ lữ hành nội địa
    Cấp giấy phép kinh doanh dịch vụ karaoke
    Công nhận hạng cơ sở lưu trú du lịch
    Cấp giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao
    Tổ chức biểu diễn nghệ thuật
Sở Dân tộc và Tôn giáo | 2
    Đăng ký sinh hoạt tôn giáo tập trung
    Thông báo tổ chức lễ hội tín ngưỡng
    Đăng ký người được phong phẩm hoặc suy cử làm chức sắc
    Công nhận người có uy tín trong đồng bào dân tộc thiểu số
    Đề nghị sửa đổi hiến chương của tổ chức tôn giáo
Sở Ngoại vụ | 2
    Cho phép sử dụng thẻ đi lại của doanh nhân APEC
    Cho phép tổ chức hội nghị, hội thảo quốc tế
    Tiếp nhận đoàn khách nước ngoài
    Cử cán bộ đi công tác nước ngoài
Thanh tra tỉnh | 2
    Giải quyết khiếu nại lần đầu
    Giải quyết khiếu nại lần hai
    Giải quyết tố cáo
    Tiếp công dân
    Xử lý đơn thư
Ban Quản lý các khu công nghiệp | 5
    Cấp giấy chứng nhận đăng ký đầu tư trong khu công nghiệp
    Điều chỉnh dự án đầu tư trong khu công nghiệp
    Cấp giấy phép lao động cho người nước ngoài làm việc trong khu công nghiệp
    Cấp giấy phép xây dựng trong khu công nghiệp
    Cấp giấy chứng nhận xuất xứ hàng hóa
Bảo hiểm xã hội tỉnh | 30
    Cấp lại thẻ bảo hiểm y tế
    Giải quyết hưởng chế độ thai sản
    Giải quyết hưởng chế độ ốm đau
    Giải quyết hưởng bảo hiểm xã hội một lần
    Giải quyết hưởng lương hưu
    Giải quyết hưởng chế độ tử tuất
    Cấp lại sổ bảo hiểm xã hội
Thuế tỉnh | 20
    Khai lệ phí trước bạ nhà, đất
    Đăng ký thuế lần đầu
    Quyết toán thuế thu nhập cá nhân
    Đăng ký sử dụng hóa đơn điện tử
    Hoàn thuế giá trị gia tăng
    Miễn, giảm thuế thu nhập cá nhân
Bộ Chỉ huy Quân sự tỉnh | 3
    Đăng ký nghĩa vụ quân sự lần đầu
    Giải quyết chế độ đối với quân nhân xuất ngũ
    Trợ cấp một lần đối với dân quân
    Xác nhận thời gian phục vụ trong quân đội
Văn phòng UBND tỉnh | 2
    Tiếp nhận phản ánh, kiến nghị về quy định hành chính
    Cung cấp thông tin theo yêu cầu
    Chấp thuận tổ chức hội chợ, triển lãm
    Công bố danh mục thủ tục hành chính
Ban Quản lý Khu kinh tế cửa khẩu | 3
    Cấp giấy chứng nhận đăng ký đầu tư trong khu kinh tế
    Cấp giấy phép xây dựng trong khu kinh tế
    Cấp giấy phép lao động trong khu kinh tế
    Cho phép xuất nhập cảnh qua cửa khẩu phụ
"""

# Shared catalogs of the lower levels, most used first.
_DISTRICT_PROCEDURES_TEXT = """
Chứng thực bản sao từ bản chính giấy tờ, văn bản
Đăng ký thành lập hộ kinh doanh
Đăng ký biến động quyền sử dụng đất
Cấp giấy phép xây dựng nhà ở riêng lẻ
Cấp giấy chứng nhận quyền sử dụng đất lần đầu
Giải quyết chế độ trợ cấp xã hội hằng tháng
Đăng ký khai sinh có yếu tố nước ngoài
Cấp giấy phép bán lẻ sản phẩm rượu
Cấp giấy chứng nhận đủ điều kiện an toàn thực phẩm
Xét tặng danh hiệu Gia đình văn hóa
Công nhận trường mầm non đạt chuẩn quốc gia
Giải quyết khiếu nại lần đầu
Đăng ký hoạt động tín ngưỡng
Cấp giấy phép khai thác tài nguyên nước
Thẩm định phương án trồng rừng thay thế
"""

_COMMUNE_PROCEDURES_TEXT = """
Chứng thực bản sao từ bản chính giấy tờ, văn bản
Đăng ký khai sinh
Chứng thực chữ ký trong các giấy tờ, văn bản
Cấp giấy xác nhận tình trạng hôn nhân
Đăng ký kết hôn
Đăng ký khai tử
Đăng ký thường trú
Chứng thực hợp đồng, giao dịch liên quan đến tài sản
Cấp bản sao trích lục hộ tịch
Xác nhận hộ gia đình nghèo, cận nghèo
Trợ cấp xã hội hằng tháng đối với người cao tuổi
Hỗ trợ chi phí mai táng
Đăng ký nhận cha, mẹ, con
Đăng ký giám hộ
Hòa giải tranh chấp đất đai
"""

# Variants of a base name (the first is none): national catalogs hold many
# near-identical names that differ by applicant or case.
_QUALIFIERS_TEXT = """
|đối với cá nhân|đối với tổ chức|(liên thông)|trường hợp có yếu tố nước ngoài
|(thủ tục rút gọn)|theo yêu cầu|trường hợp đặc biệt|trường hợp thay đổi thông tin
|thực hiện tại bộ phận một cửa
"""

# "<kind> <name> | <number of communes>"; the kind decides the communes' kinds.
_DISTRICT_TEXT = """
thành phố Mã Giang | 14
thị xã Bình Sơn | 12
huyện An Lạc | 13
huyện Yên Thịnh | 11
huyện Tân Phong | 12
huyện Mường Khoa | 10
huyện Vĩnh Lợi | 13
huyện Thạch Bàn | 12
huyện Đồng Lâm | 11
huyện Quảng Hà | 12
"""
_TOWN_WARDS = 7  # wards of the thị xã; its other communes are xã

_WARD_TEXT = """
Quang Trung, Trần Hưng Đạo, Lê Lợi, Nguyễn Trãi, Hoàng Văn Thụ, Minh Khai, Đông Thành, Tây Sơn,
Bắc Sơn, Nam Thành, Hợp Giang, Tân Bình, Phú Lâm, Ngọc Hà, Hùng Vương, Trưng Vương, Điện Biên,
Thống Nhất, Chi Lăng, Cẩm Phú, Thanh Trường
"""

_COMMUNE_TEXT = """
An Bình, An Hòa, An Khánh, An Lộc, An Thịnh, Bình Hòa, Bình Minh, Cao Sơn, Cẩm Thạch, Chiềng Ban,
Chiềng Mai, Chiềng Sơn, Đại Đồng, Đào Xá, Định Hóa, Đông Phong, Đông Xuân, Đức Hợp, Gia Hòa,
Gia Phú, Hà Lâm, Hiệp Hòa, Hòa Lạc, Hòa Phú, Hồng Phong, Hợp Thành, Hưng Đạo, Kim Sơn, Kim Tân,
Lạc Hồng, Liên Minh, Long Hưng, Minh Đức, Minh Tân, Mường Bon, Mường Chanh, Mường Lầm, Nam Phong,
Nghĩa Hưng, Ngọc Lâm, Nhân Hòa, Phú Cường, Phú Mỹ, Phúc Thịnh, Phượng Tiến, Quang Minh, Quảng Lạc,
Quỳnh Châu, Sơn Hà, Sơn Thủy, Tam Hiệp, Tân Dân, Tân Lập, Tân Minh, Tân Phú, Tân Thành, Thạch Lâm,
Thanh Bình, Thanh Lương, Thanh Sơn, Thọ Lộc, Thuận Hưng, Tiên Phong, Trung Hòa, Trường Xuân,
Văn Lang, Vạn Xuân, Việt Hồng, Vĩnh Hưng, Vĩnh Thịnh, Xuân Phong, Xuân Thủy, Yên Bình, Yên Hưng,
Yên Sơn, Yên Thái, Nậm Ty, Nậm Lầu, Huổi Một, Bó Sinh, Đồng Tâm, Đồng Tiến, Hoàng Hoa,
Khánh Thiện, Lam Sơn, Mỹ Lộc, Ngọc Thanh, Phong Vân, Quyết Thắng, Tân Tiến, Thắng Lợi, Trung Sơn,
Vân Tùng
"""

_PETITION_CATEGORY_TEXT = """
Thủ tục hành chính, Đất đai, Môi trường, Xây dựng - trật tự đô thị, Giao thông, Y tế, Giáo dục,
Lao động - việc làm, An ninh - trật tự, Dịch vụ công trực tuyến, Khác
"""

# Lunar New Year's day (mmdd) for 2000-2060, checked against `holidays` 0.109.
# Hard-coded so that the data never depend on an installed library's version.
_TET_FIRST_YEAR = 2000
_TET_TEXT = """
0205 0124 0212 0201 0122 0209 0129 0217 0207 0126 0214 0203 0123 0210 0131 0219 0208 0128 0216
0205 0125 0212 0201 0122 0210 0129 0217 0206 0126 0213 0202 0123 0211 0131 0219 0208 0128 0215
0204 0124 0212 0201 0122 0210 0130 0217 0206 0126 0214 0202 0123 0211 0201 0218 0208 0128 0215
0204 0124 0212 0202
"""

_DURATIONS = (1, 2, 3, 5, 7, 10, 12, 15, 20, 25, 30)  # legal time limits, days
_FEES = (20_000, 30_000, 50_000, 50_000, 100_000, 100_000, 150_000, 200_000, 300_000, 500_000)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


def _items(text: str, sep: str = ",") -> tuple[str, ...]:
    return tuple(_nfc(item) for item in text.replace("\n", sep).split(sep) if item.strip())


def _lines(text: str) -> tuple[str, ...]:
    return tuple(_nfc(line) for line in text.splitlines() if line.strip())


def _sections(text: str) -> tuple[tuple[str, int, tuple[str, ...]], ...]:
    """Parse ``name | number`` headers, each followed by indented items."""
    parsed: list[tuple[str, int, list[str]]] = []
    for line in text.splitlines():
        if line.startswith(" "):
            parsed[-1][2].append(_nfc(line))
        elif line.strip():
            name, number = line.split("|")
            parsed.append((_nfc(name), int(number), []))
    return tuple((name, number, tuple(items)) for name, number, items in parsed)


_DEPARTMENTS = _sections(_DEPARTMENT_TEXT)
_DISTRICTS = _sections(_DISTRICT_TEXT)
_DISTRICT_PROCEDURES = _lines(_DISTRICT_PROCEDURES_TEXT)
_COMMUNE_PROCEDURES = _lines(_COMMUNE_PROCEDURES_TEXT)
_QUALIFIERS = tuple(
    "" if not q.strip() else " " + _nfc(q)
    for q in _QUALIFIERS_TEXT.strip().replace("\n", "").split("|")
)
_WARD_NAMES = _items(_WARD_TEXT)
_COMMUNE_NAMES = _items(_COMMUNE_TEXT)
_PETITION_CATEGORIES = _items(_PETITION_CATEGORY_TEXT)
_TET = _TET_TEXT.split()

# Share of dossiers per level (percent); the province itself handles none.
_LEVEL_SHARE = {"department": 35, "district": 20, "commune": 45}

# Per-unit rate ranges (department, district, commune) and whether a good unit
# sits at the low end ("bad" rates). Quality drives 60 % of the position.
_RATES: dict[str, tuple[tuple[float, float], tuple[float, float], tuple[float, float], bool]] = {
    "apply": ((0.93, 1.0), (0.62, 0.98), (0.30, 0.88), False),
    "online": ((0.45, 1.0), (0.35, 1.0), (0.30, 1.0), False),
    "offline": ((0.02, 0.15), (0.03, 0.20), (0.03, 0.25), True),
    "full": ((0.40, 0.90), (0.30, 0.85), (0.30, 0.85), False),
    "integrated": ((0.50, 1.0), (0.30, 0.95), (0.20, 0.95), False),
    "pay": ((0.30, 0.95), (0.20, 0.90), (0.15, 0.90), False),
    "late": ((0.0, 0.12), (0.0, 0.12), (0.0, 0.12), True),
    "sync": ((0.90, 1.0), (0.90, 1.0), (0.88, 1.0), False),
    "e_result": ((0.50, 0.99), (0.45, 0.99), (0.40, 0.99), False),
    "digitized": ((0.40, 0.99), (0.40, 0.99), (0.35, 0.99), False),
    "reuse": ((0.10, 0.70), (0.10, 0.70), (0.05, 0.65), False),
    "personal": ((0.05, 0.60), (0.05, 0.55), (0.05, 0.50), False),
    "citizen": ((0.30, 0.95), (0.30, 0.95), (0.30, 0.95), False),
    "rated": ((0.05, 0.35), (0.05, 0.30), (0.05, 0.30), False),
    "unsat": ((0.005, 0.08), (0.005, 0.08), (0.005, 0.10), True),
    "complaint": ((0.0003, 0.003), (0.0003, 0.003), (0.0003, 0.004), True),
    "postal_return": ((0.01, 0.06), (0.01, 0.05), (0.005, 0.04), False),
    "pet_late": ((0.02, 0.25), (0.02, 0.25), (0.02, 0.30), True),
    "pet_unsat": ((0.03, 0.20), (0.03, 0.20), (0.03, 0.25), True),
}

_UNIT_SLOTS = 8192  # resolution of the unit draw (13 bits)
_PROC_SLOTS = 8192  # per unit (13 bits)
_DAY_SLOTS = 16384  # (14 bits)
_PETITIONS_PER_MILLE = 4
_MAX_ROWS = 0xFFFFFFFF  # row keys must fit the 32-bit mixer

# --------------------------------------------------------------------------
# Stable hashing in SQL
# --------------------------------------------------------------------------

_M32 = 0xFFFFFFFF
_MASK = "4294967295::UBIGINT"
_GOLDEN = 2654435769  # odd, so key -> key * _GOLDEN mod 2**32 is a bijection
# murmur3 fmix32: xor-shift, multiply, xor-shift, multiply, xor-shift.
_FMIX: tuple[tuple[str, int], ...] = (
    ("xs", 16),
    ("mul", 0x85EBCA6B),
    ("xs", 13),
    ("mul", 0xC2B2AE35),
    ("xs", 16),
)


def _fmix32(x: int) -> int:
    for op, k in _FMIX:
        x = x ^ (x >> k) if op == "xs" else (x * k) & _M32
    return x


def _mix_sql(op: str, k: int, h: str) -> str:
    if op == "xs":
        return f"xor({h}, {h} >> {k})"
    return f"(({h}) * {k}::UBIGINT & {_MASK})"


class _Hasher:
    """Turns (key expression, salt) into reproducible uniforms for one seed."""

    def __init__(self, seed: int) -> None:
        folded = seed % (1 << 64)
        self._seed_key = _fmix32((folded & _M32) ^ _fmix32(folded >> 32))

    def salt(self, name: str) -> int:
        return _fmix32(zlib.crc32(name.encode()) ^ self._seed_key)

    def start(self, key: str, salt: str) -> str:
        """The 32-bit mixer input; keys must lie in [0, 2**32)."""
        return f"((({key})::UBIGINT * {_GOLDEN}::UBIGINT + {self.salt(salt)}::UBIGINT) & {_MASK})"

    def u(self, key: str, salt: str) -> str:
        """A uniform in [0, 1) computed inline (for the small tables)."""
        h = self.start(key, salt)
        for op, k in _FMIX:
            h = _mix_sql(op, k, h)
        return f"({h} / 4294967296.0)"

    def hashed_rows(self, ids: str, count: int, salt: str) -> str:
        """``SELECT i, h0..h{count-1}`` over the row ids in table ``ids``, mixed in stages.

        One projection per mixing step keeps the SQL linear in size instead of
        relying on the optimizer to spot the repeated subexpressions.
        """
        cols = [f"{self.start('i', f'{salt}/{k}')} AS h{k}" for k in range(count)]
        query = f"SELECT i, {', '.join(cols)} FROM {ids}"
        for op, k in _FMIX:
            mixed = ", ".join(f"{_mix_sql(op, k, f'h{j}')} AS h{j}" for j in range(count))
            query = f"SELECT i, {mixed} FROM ({query})"
        return query


class _Draws:
    """Named 16-bit uniforms for the large tables: two per 32-bit hash column."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self._where = {name: divmod(k, 2) for k, name in enumerate(names)}
        self.hashes = (len(names) + 1) // 2

    def half(self, name: str) -> str:
        col, low = self._where[name]
        return f"(h{col} & 65535)" if low else f"(h{col} >> 16)"

    def u(self, name: str) -> str:
        return f"({self.half(name)} / 65536.0)"

    def bits(self, name: str, bits: int) -> str:
        return f"CAST({self.half(name)} >> {16 - bits} AS BIGINT)"


# --------------------------------------------------------------------------
# SQL helpers
# --------------------------------------------------------------------------


def _lit(text: str) -> str:
    return "'" + unicodedata.normalize("NFC", text).replace("'", "''") + "'"


def _list(values: tuple[str, ...] | tuple[int, ...]) -> str:
    items = [_lit(v) if isinstance(v, str) else str(v) for v in values]
    return "[" + ", ".join(items) + "]"


def _pick(values: tuple[str, ...] | tuple[int, ...], uniform: str) -> str:
    """Element of a literal list chosen by a uniform in [0, 1)."""
    return f"{_list(values)}[1 + CAST(floor({uniform} * {len(values)}) AS BIGINT)]"


def _secs(days: str) -> str:
    """An interval of ``days`` (a DOUBLE expression), to the second."""
    return f"to_seconds(CAST(round(({days}) * 86400) AS BIGINT))"


def _select(table: Table, exprs: dict[str, str]) -> str:
    """The table's columns in contract order, each cast to its contract type."""
    if set(exprs) != set(table.column_names):
        raise AssertionError(f"{table.name}: columns differ from the schema")
    return ",\n  ".join(f"CAST({exprs[c.name]} AS {c.type}) AS {c.name}" for c in table.columns)


def _slots(source: str, weight: str, n_slots: int, order: str, partition: str = "") -> str:
    """``SELECT *, slot`` giving each row the slots its weight earns.

    Integer cumulative sums make the mapping exact on every machine; slot s
    belongs to the row whose interval holds the midpoint (2s+1)/(2S).
    """
    part = f"PARTITION BY {partition}" if partition else ""
    return f"""
        SELECT * EXCLUDE (cum, total, w), unnest(range(
            CAST((2 * {n_slots} * (cum - w) + total - 1) // (2 * total) AS BIGINT),
            CAST((2 * {n_slots} * cum + total - 1) // (2 * total) AS BIGINT))) AS slot
        FROM (
            SELECT *,
                sum(w) OVER ({part} ORDER BY {order}
                             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum,
                sum(w) OVER ({part}) AS total
            FROM (SELECT *, CAST({weight} AS HUGEINT) AS w FROM {source})
            WHERE w > 0
        )"""


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[tuple[object, ...]]) -> None:
    """Insert a few rows in one statement (executemany runs one statement per row)."""
    marks = "(" + ", ".join("?" * len(rows[0])) + ")"
    values = ", ".join([marks] * len(rows))
    con.execute(f"INSERT INTO {table} VALUES {values}", [v for row in rows for v in row])


def _tet(year: int) -> str:
    mmdd = _TET[year - _TET_FIRST_YEAR]
    return f"DATE '{year}-{mmdd[:2]}-{mmdd[2:]}'"


# --------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------

# kind -> (base relative volume, random spread)
_KIND_VOLUME = {
    "thành phố": (180, 60),
    "thị xã": (120, 40),
    "huyện": (60, 60),
    "phường": (100, 150),
    "thị trấn": (120, 80),
    "xã": (30, 100),
}


def _commune_rows(
    district_code: str, kind: str, name: str, count: int, wards: list[str], communes: list[str]
) -> list[tuple[str, str, str]]:
    """(code, name, kind) of one district's communes, consuming the name pools."""
    rows = []
    for k in range(count):
        if kind == "thành phố" or (kind == "thị xã" and k < _TOWN_WARDS):
            sub_kind, sub_name = "phường", wards.pop(0)
        elif kind == "huyện" and k == 0:
            sub_kind, sub_name = "thị trấn", name
        else:
            sub_kind, sub_name = "xã", communes.pop(0)
        rows.append((f"{district_code}.{k + 1:02d}", f"UBND {sub_kind} {sub_name}", sub_kind))
    return rows


def _district_kind(name: str) -> str:
    return next(kind for kind in ("thành phố", "thị xã", "huyện") if name.startswith(kind))


_UnitRow = tuple[int, str, str, str, str | None, int, int, int]


def _unit_rows() -> list[_UnitRow]:
    """(idx, code, name, level, parent, owner, base volume, spread) for every unit."""
    rows: list[_UnitRow] = [(0, PROVINCE_CODE, _nfc(PROVINCE_NAME), "province", None, 0, 1, 0)]
    for k, (name, volume, _) in enumerate(_DEPARTMENTS, start=1):
        code = f"{PROVINCE_CODE}.{k:02d}"
        rows.append((len(rows), code, name, "department", PROVINCE_CODE, k, volume, volume // 3))
    wards, communes = list(_WARD_NAMES), list(_COMMUNE_NAMES)
    for k, (full_name, count, _) in enumerate(_DISTRICTS, start=31):
        code, kind = f"{PROVINCE_CODE}.{k}", _district_kind(full_name)
        name = full_name.removeprefix(kind).strip()
        base, spread = _KIND_VOLUME[kind]
        rows.append(
            (len(rows), code, f"UBND {full_name}", "district", PROVINCE_CODE, 0, base, spread)
        )
        for sub_code, sub_name, sub_kind in _commune_rows(code, kind, name, count, wards, communes):
            base, spread = _KIND_VOLUME[sub_kind]
            rows.append((len(rows), sub_code, sub_name, "commune", code, 0, base, spread))
    return rows


def _rate_sql(name: str) -> str:
    ranges, bad = _RATES[name][:3], _RATES[name][3]
    quality = "(1 - q)" if bad else "q"
    mix = f"(0.6 * {quality} + 0.4 * u_{name})"
    cases = " ".join(
        f"WHEN '{level}' THEN {lo} + {hi - lo} * {mix}"
        for level, (lo, hi) in zip(("department", "district", "commune"), ranges, strict=True)
    )
    return f"CASE level {cases} END AS rate_{name}"


def _create_units(con: duckdb.DuckDBPyConnection, h: _Hasher) -> None:
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _synth_unit_seed (unit_idx BIGINT, unit_code VARCHAR,"
        " unit_name VARCHAR, level VARCHAR, parent_code VARCHAR, owner BIGINT,"
        " base_w BIGINT, spread_w BIGINT)"
    )
    _insert(con, "_synth_unit_seed", _unit_rows())
    share = " ".join(f"WHEN '{lv}' THEN {pct}" for lv, pct in _LEVEL_SHARE.items())
    noise = ",\n".join(f"{h.u('unit_idx', 'rate/' + name)} AS u_{name}" for name in _RATES)
    rates = ",\n".join(_rate_sql(name) for name in _RATES)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _synth_unit_params AS
        WITH base AS (
            SELECT *, {h.u("unit_idx", "quality")} AS q,
                base_w + CAST(floor({h.u("unit_idx", "volume")} * spread_w) AS BIGINT) AS rel_w,
                {noise}
            FROM _synth_unit_seed
        )
        SELECT *,
            CAST(CASE level {share} ELSE 0 END * 1000000000::BIGINT * rel_w
                 // sum(rel_w) OVER (PARTITION BY level) AS BIGINT) AS weight,
            CASE WHEN level = 'commune' THEN {h.u("unit_idx", "e_copy")} < 0.85 END
                AS e_certified_copy,
            {rates}
        FROM base""")
    cols = {c: c for c in UNITS.column_names}
    con.execute(f"""
        CREATE OR REPLACE TABLE units AS
        SELECT {_select(UNITS, cols)} FROM _synth_unit_params ORDER BY unit_idx""")


# --------------------------------------------------------------------------
# Procedure catalog and per-unit procedures
# --------------------------------------------------------------------------


def _create_sectors(con: duckdb.DuckDBPyConnection) -> None:
    """Which codes exist: each department's own sector, then district and commune lists."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _synth_sectors (tier_order BIGINT, tier VARCHAR,"
        " owner BIGINT, n_lo BIGINT, n_hi BIGINT, names VARCHAR[])"
    )
    rows: list[tuple[int, str, int, int, int, list[str]]] = [
        (0, "department", k, 40, 110, list(names))
        for k, (_, _, names) in enumerate(_DEPARTMENTS, start=1)
    ]
    rows.append((1, "district", 0, 250, 250, list(_DISTRICT_PROCEDURES)))
    rows.append((2, "commune", 0, 110, 110, list(_COMMUNE_PROCEDURES)))
    _insert(con, "_synth_sectors", rows)


def _publication_sql(h: _Hasher, year: int) -> str:
    """Effective date, then a decision lead (12 % too short) and a publishing lag (10 % late)."""

    def u(salt: str) -> str:
        return h.u("code_idx", "pub/" + salt)

    return f"""
        make_date(CASE WHEN {u("in_year")} < 0.6 THEN {year}
                       ELSE {year - 1} - CAST(floor({u("old")} * 4) AS INTEGER) END, 1, 1)
            + CAST(floor({u("day")} * 365) AS INTEGER) AS legal_effective_date,
        CASE WHEN {u("lead")} < 0.12 THEN CAST(floor({u("lead_n")} * 7) AS INTEGER) - 2
             ELSE 7 + CAST(floor({u("lead_n")} * 40) AS INTEGER) END AS lead_days,
        CASE WHEN {u("lag")} < 0.10 THEN 8 + CAST(floor({u("lag_n")} * 20) AS INTEGER)
             ELSE CAST(floor({u("lag_n")} * 5) AS INTEGER) END AS lag_days"""


def _create_catalog(con: duckdb.DuckDBPyConnection, h: _Hasher, year: int) -> None:
    _create_sectors(con)

    def u(salt: str) -> str:
        return h.u("code_idx", "code/" + salt)

    offset = h.salt("code/offset") % 13001
    by_tier = "CASE tier WHEN 'department' THEN {} WHEN 'district' THEN {} ELSE {} END"
    duration = f"CASE WHEN tier = 'department' THEN {u('dur')} ELSE {u('dur')} * {u('dur')} END"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _synth_catalog AS
        WITH sized AS (
            SELECT *, n_lo + CAST(floor({h.u("tier_order * 1000 + owner", "catalog_size")}
                                        * (n_hi - n_lo + 1)) AS BIGINT) AS n
            FROM _synth_sectors
        ), expanded AS (
            SELECT tier_order, tier, owner, names, unnest(range(n)) AS j FROM sized
        ), numbered AS (
            SELECT *, row_number() OVER (ORDER BY tier_order, owner, j) - 1 AS code_idx
            FROM expanded
        ), drawn AS (
            SELECT *, {_publication_sql(h, year)} FROM numbered
        )
        SELECT code_idx, tier, owner,
            CASE WHEN {u("prefix")} < 0.62 THEN '1' WHEN {u("prefix")} < 0.95 THEN '2' ELSE '3' END
                || '.' || lpad(CAST((code_idx * 3571 + {offset}) % 13001 AS VARCHAR), 6, '0')
                AS procedure_code,
            names[1 + j % len(names)]
                || {_list(_QUALIFIERS)}[1 + (j // len(names)) % {len(_QUALIFIERS)}]
                AS procedure_name,
            CAST(j AS DOUBLE) AS base_rank,  -- plain names first, in list order
            {u("fee")} < {by_tier.format(0.5, 0.4, 0.32)} AS has_fee,
            {_pick(_FEES, u("amount"))} AS fee_amount,
            {u("paper")} < 0.85 AS paper_result,
            {u("citizens")} < {by_tier.format(0.55, 0.8, 0.95)} AS for_citizens,
            CASE WHEN {u("no_limit")} >= 0.01 THEN {_pick(_DURATIONS, duration)} END
                AS max_duration_days,
            {u("offline")} < 0.08 AS offline_only,
            legal_effective_date - lead_days AS decision_date,
            legal_effective_date,
            -- not yet public when the data are extracted
            CASE WHEN legal_effective_date - lead_days + lag_days <= DATE '{year}-12-31'
                 THEN legal_effective_date - lead_days + lag_days END AS published_date,
            {u("complete")} < 0.94 AS content_complete
        FROM drawn""")


def _create_procedures(con: duckdb.DuckDBPyConnection, h: _Hasher) -> None:
    def u(salt: str) -> str:
        return h.u("pair_key", "pair/" + salt)

    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _synth_applied AS
        WITH pairs AS (
            SELECT p.unit_idx, p.unit_code, p.rate_apply, p.rate_offline, p.rate_full,
                p.rate_integrated, c.*, p.unit_idx * 65536 + c.code_idx AS pair_key
            FROM _synth_unit_params p JOIN _synth_catalog c
                ON c.tier = p.level AND (c.tier <> 'department' OR c.owner = p.owner)
        ), kept AS (
            SELECT *,
                -- the most used procedures were the first put online everywhere
                CASE WHEN (offline_only OR {u("none")} < rate_offline) AND base_rank >= 3
                     THEN 'none'
                     WHEN {u("full")} < rate_full THEN 'full' ELSE 'partial' END AS online_level,
                has_fee AND {u("integrated")} < rate_integrated AS payment_integrated,
                base_rank + 4 * {u("popularity")} AS popularity
            FROM pairs WHERE {u("applies")} < rate_apply
        )
        SELECT *,
            CASE WHEN online_level <> 'none' THEN 'DVC-' || procedure_code END AS service_code,
            row_number() OVER (PARTITION BY unit_idx ORDER BY popularity, code_idx) - 1 AS rank
        FROM kept""")
    cols = {c: c for c in PROCEDURES.column_names}
    con.execute(f"""
        CREATE OR REPLACE TABLE procedures AS
        SELECT {_select(PROCEDURES, cols)} FROM _synth_applied
        ORDER BY unit_code, procedure_code""")


# --------------------------------------------------------------------------
# Sampling tables: units by volume, procedures by popularity, days by calendar
# --------------------------------------------------------------------------


def _day_weight_sql(year: int) -> str:
    """Integer weight of a receiving day: weekdays, weekends, Tết and public holidays."""
    tet = _tet(year)
    holidays = ", ".join(
        f"DATE '{year}-{md}'" for md in ("01-01", "04-30", "05-01", "09-01", "09-02")
    )
    return f"""
        CASE WHEN day BETWEEN {tet} - 4 AND {tet} + 4 OR day IN ({holidays}) THEN 2
             ELSE (CASE isodow(day) WHEN 1 THEN 110 WHEN 5 THEN 95 WHEN 6 THEN 15
                                    WHEN 7 THEN 3 ELSE 100 END)
                  * CASE WHEN day BETWEEN {tet} - 12 AND {tet} - 5 THEN 13
                         WHEN day BETWEEN {tet} + 5 AND {tet} + 10 THEN 8 ELSE 10 END
                  // 10 END"""


def _create_slots(con: duckdb.DuckDBPyConnection, year: int) -> None:
    units = _slots("_synth_unit_params", "weight", _UNIT_SLOTS, "unit_idx")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _synth_unit_slots AS
        SELECT slot, unit_idx, unit_code, COLUMNS('^rate_') FROM ({units})""")
    # Popularity ~ rank ** -1.5; sqrt is correctly rounded, so this is exact everywhere.
    popularity = "floor(1e9 / ((rank + 1) * sqrt(rank + 1)))"
    procedures = _slots("_synth_applied", popularity, _PROC_SLOTS, "rank", "unit_idx")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _synth_proc_slots AS
        SELECT unit_idx * {_PROC_SLOTS} + slot AS unit_slot, procedure_code, service_code,
            online_level, has_fee, fee_amount, payment_integrated, for_citizens,
            max_duration_days
        FROM ({procedures})""")
    # The previous December carries exactly 2 % of the weight, ramping up to its end.
    split = f"CASE WHEN year(day) < {year} THEN raw * 2 * year_total ELSE raw * 98 * prev_total END"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _synth_day_slots AS
        WITH days AS (
            SELECT CAST(d AS DATE) AS day
            FROM range(DATE '{year - 1}-12-01', DATE '{year + 1}-01-01', INTERVAL 1 DAY) t(d)
        ), weighted AS (
            SELECT day, CASE WHEN year(day) < {year}
                             THEN (CASE isodow(day) WHEN 6 THEN 15 WHEN 7 THEN 3 ELSE 100 END)
                                  * dayofmonth(day)
                             ELSE {_day_weight_sql(year)} END AS raw
            FROM days
        ), split AS (
            SELECT *, sum(raw) FILTER (WHERE year(day) < {year}) OVER () AS prev_total,
                      sum(raw) FILTER (WHERE year(day) = {year}) OVER () AS year_total
            FROM weighted
        )
        SELECT day, slot FROM ({_slots("split", split, _DAY_SLOTS, "day")})""")


# --------------------------------------------------------------------------
# Dossiers
# --------------------------------------------------------------------------

_DOSSIER_DRAWS = (
    "unit", "proc", "day", "tod", "channel", "online", "late", "speed", "overrun", "stuck",
    "sup", "sup_days", "due", "carry", "lag", "outcome", "open", "ret_lag", "ret", "sync",
    "pay", "e_result", "digitized", "reused", "personal", "citizen", "rated", "unsat",
    "complaint", "postal",
)  # fmt: skip


def _working_time_sql(u: str) -> str:
    """Seconds after midnight inside office hours 07:30-11:30 and 13:30-17:00."""
    return (
        f"CASE WHEN {u} < 0.58 THEN 27000 + CAST(floor({u} / 0.58 * 14400) AS BIGINT)"
        f" ELSE 48600 + CAST(floor(({u} - 0.58) / 0.42 * 12600) AS BIGINT) END"
    )


def _dossier_timing_sql(d: _Draws, year: int) -> str:
    """Stages from joined draws to received / due / would-be finish times."""
    jan1 = f"TIMESTAMP '{year}-01-01 00:00:00'"
    # online applicants submit up to two days before reception, mostly just before
    online_lag = f"2 * {d.u('lag')} * {d.u('lag')}"
    postal_lag = f"1 + 3 * {d.u('lag')}"
    return f"""
    received AS (
        SELECT *, CAST(day AS TIMESTAMP) + to_seconds({_working_time_sql(d.u("tod"))})
                AS received_at,
            CASE WHEN {d.u("channel")} < 0.01 THEN NULL
                 WHEN {d.u("channel")} < 0.03 THEN 'postal'
                 WHEN online_level <> 'none' AND {d.u("online")}
                      < rate_online * CASE online_level WHEN 'full' THEN 1.0 ELSE 0.75 END
                 THEN 'online' ELSE 'direct' END AS channel,
            {d.u("late")} < rate_late AS late,
            CASE WHEN {d.u("sup")} < 0.001 THEN 3 WHEN {d.u("sup")} < 0.005 THEN 2
                 WHEN {d.u("sup")} < 0.055 THEN 1 ELSE 0 END AS supplement_requests
        FROM joined
    ), planned AS (
        SELECT *,
            CASE WHEN supplement_requests > 0
                 THEN round((0.5 + 9.5 * {d.u("sup_days")}) * supplement_requests, 2)
                 ELSE 0 END AS supplement_days,
            CASE WHEN late THEN coalesce(max_duration_days, 10) + 0.05
                                + 12 * {d.u("overrun")} * {d.u("overrun")}
                                + CASE WHEN {d.u("stuck")} < 0.02 THEN 90 ELSE 0 END
                 ELSE coalesce(max_duration_days, 10)
                      * (0.02 + 0.93 * {d.u("speed")} * {d.u("speed")}) END AS work_days,
            CASE WHEN max_duration_days IS NOT NULL AND {d.u("due")} >= 0.005
                 THEN received_at + {_secs("max_duration_days")} END AS due_at,
            CASE channel WHEN 'online' THEN received_at - {_secs(online_lag)}
                         WHEN 'postal' THEN received_at - {_secs(postal_lag)}
                         ELSE received_at END AS submitted_at
        FROM received
    ), timed AS (
        SELECT *,
            -- carried-over dossiers are, by definition, still open on 1 January
            greatest(received_at + {_secs("work_days + supplement_days")},
                     CASE WHEN received_at < {jan1}
                          THEN {jan1} + {_secs(f"0.3125 + 4 * {d.u('carry')}")} END) AS end_at
        FROM planned
    ), ended AS (
        SELECT *, end_at + {_secs(f"0.01 + 2.5 * {d.u('ret_lag')} * {d.u('ret_lag')}")}
                AS return_at
        FROM timed
    )"""


def _dossier_status_sql(d: _Draws, year: int) -> str:
    """DVCQG status as seen at the end of ``year``."""
    as_of = f"TIMESTAMP '{year + 1}-01-01 00:00:00'"
    return f"""
    statused AS (
        SELECT *, CASE
            WHEN {d.u("outcome")} < 0.004 THEN 3
            WHEN end_at >= {as_of} THEN CASE
                WHEN supplement_requests > 0 AND {d.u("open")} < 0.6 THEN 5
                WHEN has_fee AND {d.u("open")} < 0.25 THEN 6 ELSE 4 END
            WHEN {d.u("outcome")} < 0.011 THEN 7
            WHEN {d.u("outcome")} < 0.014 THEN 8
            WHEN return_at < {as_of} AND {d.u("ret")} < 0.94 THEN 10
            ELSE 9 END AS status
        FROM ended
    )"""


def _dossier_columns(d: _Draws, id_width: int) -> dict[str, str]:
    done = "status IN (9, 10)"
    paid = (
        "rate_pay * CASE WHEN payment_integrated THEN 1.0 ELSE 0.1 END"
        " * CASE WHEN channel = 'online' THEN 1.0 ELSE 0.05 END"
    )
    return {
        # <unit>-<yy><serial>; one integer-to-text conversion is the cheap way
        "dossier_id": (
            f"unit_code || '-' || lpad(CAST((year(received_at) % 100) * {10**id_width} + i"
            f" AS VARCHAR), {id_width + 2}, '0')"
        ),
        "unit_code": "unit_code",
        "procedure_code": "procedure_code",
        "service_code": "service_code",
        "channel": "channel",
        "submitted_at": "submitted_at",
        "received_at": "received_at",
        "due_at": "due_at",
        "finished_at": "CASE WHEN status IN (7, 8, 9, 10) THEN end_at END",
        "returned_at": "CASE WHEN status = 10 THEN return_at END",
        "status": "status",
        "supplement_requests": "supplement_requests",
        "supplement_days": "supplement_days",
        "synced": f"{d.u('sync')} < rate_sync",
        "fee_due": "CASE WHEN has_fee THEN fee_amount ELSE 0 END",
        "paid_online": f"has_fee AND status NOT IN (3, 6) AND {d.u('pay')} < {paid}",
        "e_result": f"{done} AND {d.u('e_result')} < rate_e_result",
        "digitized": f"status <> 3 AND {d.u('digitized')} < rate_digitized",
        "reused_data": (
            f"status <> 3 AND {d.u('digitized')} < rate_digitized AND {d.u('reused')} < rate_reuse"
        ),
        "personal_store": f"{d.u('personal')} < rate_personal",
        "citizen_data": (
            f"for_citizens AND {d.u('citizen')} < rate_citizen"
            " * CASE WHEN channel = 'online' THEN 1.0 ELSE 0.6 END"
        ),
        # late dossiers draw four times as many unsatisfied ratings
        "rating": (
            f"CASE WHEN {done} AND {d.u('rated')} < rate_rated THEN CASE WHEN"
            f" {d.u('unsat')} < rate_unsat * CASE WHEN late THEN 4 ELSE 1 END"
            " THEN 'unsatisfied' ELSE 'satisfied' END END"
        ),
        "complaint": f"{d.u('complaint')} < rate_complaint * CASE WHEN late THEN 5 ELSE 1 END",
        "postal_return": (
            f"status = 10 AND {d.u('postal')}"
            " < CASE WHEN channel = 'postal' THEN 0.6 ELSE rate_postal_return END"
        ),
    }


def _create_dossiers(con: duckdb.DuckDBPyConnection, h: _Hasher, n: int, year: int) -> None:
    d = _Draws(_DOSSIER_DRAWS)
    id_width = max(7, len(str(max(n - 1, 0))))
    # range() is a single-threaded source; a scanned table lets the pipeline use every core
    con.execute(f"CREATE OR REPLACE TEMP TABLE _synth_ids AS SELECT i FROM range({n}) AS r(i)")
    con.execute(f"""
        CREATE OR REPLACE TABLE dossiers AS
        WITH draws AS ({h.hashed_rows("_synth_ids", d.hashes, "dossier")}),
        joined AS (
            SELECT r.*, us.* EXCLUDE (slot), ps.* EXCLUDE (unit_slot), dy.day
            FROM draws r
            JOIN _synth_unit_slots us ON us.slot = {d.bits("unit", 13)}
            JOIN _synth_proc_slots ps
                ON ps.unit_slot = us.unit_idx * {_PROC_SLOTS} + {d.bits("proc", 13)}
            JOIN _synth_day_slots dy ON dy.slot = {d.bits("day", 14)}
        ),
        {_dossier_timing_sql(d, year)},
        {_dossier_status_sql(d, year)}
        SELECT {_select(DOSSIERS, _dossier_columns(d, id_width))}
        FROM statused
        -- a fixed row order makes written files byte-identical run to run
        ORDER BY unit_idx, received_at, i""")


# --------------------------------------------------------------------------
# Petitions
# --------------------------------------------------------------------------

_PETITION_DRAWS = ("unit", "day", "tod", "late", "speed", "open", "rated", "unsat", "category")


def _create_petitions(con: duckdb.DuckDBPyConnection, h: _Hasher, n: int, year: int) -> None:
    d = _Draws(_PETITION_DRAWS)
    as_of = f"TIMESTAMP '{year + 1}-01-01 00:00:00'"
    width = max(6, len(str(max(n - 1, 0))))
    resolve_days = (
        f"CASE WHEN late THEN 15.5 + 25 * {d.u('speed')} * {d.u('speed')}"
        f" ELSE 0.5 + 14 * {d.u('speed')} END"
    )
    cols = {
        "petition_id": (
            "'PAKN-' || strftime(received_at, '%y') || '-'"
            f" || lpad(CAST(i AS VARCHAR), {width}, '0')"
        ),
        "unit_code": "unit_code",
        "received_at": "received_at",
        "due_at": "received_at + INTERVAL 15 DAY",
        "resolved_at": "resolved_at",
        "rating": (
            f"CASE WHEN resolved_at IS NOT NULL AND {d.u('rated')} < 0.4 THEN CASE WHEN"
            f" {d.u('unsat')} < rate_pet_unsat * CASE WHEN late THEN 2.5 ELSE 1 END"
            " THEN 'unsatisfied' ELSE 'satisfied' END END"
        ),
        "category": _pick(_PETITION_CATEGORIES, d.u("category")),
    }
    con.execute(f"""
        CREATE OR REPLACE TABLE petitions AS
        WITH draws AS ({h.hashed_rows(f"range({n}) AS r(i)", d.hashes, "petition")}),
        received AS (
            SELECT r.*, us.unit_code, us.rate_pet_unsat,
                CAST(dy.day AS TIMESTAMP)
                    + to_seconds(CAST(floor({d.u("tod")} * 86400) AS BIGINT)) AS received_at,
                {d.u("late")} < us.rate_pet_late AS late
            FROM draws r
            JOIN _synth_unit_slots us ON us.slot = {d.bits("unit", 13)}
            JOIN _synth_day_slots dy ON dy.slot = {d.bits("day", 14)}
        ), resolved AS (
            SELECT *, CASE WHEN {d.u("open")} >= 0.01 THEN received_at + {_secs(resolve_days)} END
                AS candidate
            FROM received
        )
        SELECT {_select(PETITIONS, cols)}
        FROM (SELECT *, CASE WHEN candidate < {as_of} THEN candidate END AS resolved_at
              FROM resolved)
        ORDER BY received_at, i""")


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------

_HELPERS = (
    "_synth_unit_seed", "_synth_unit_params", "_synth_sectors", "_synth_catalog",
    "_synth_applied", "_synth_unit_slots", "_synth_proc_slots", "_synth_day_slots", "_synth_ids",
)  # fmt: skip


def _check(dossiers: int, year: int) -> None:
    if not 0 <= dossiers <= _MAX_ROWS:
        raise ValueError(f"dossiers must be between 0 and {_MAX_ROWS}, got {dossiers}")
    last = _TET_FIRST_YEAR + len(_TET) - 1
    if not _TET_FIRST_YEAR < year <= last:
        raise ValueError(f"year must be between {_TET_FIRST_YEAR + 1} and {last}, got {year}")


def generate(
    con: duckdb.DuckDBPyConnection,
    *,
    dossiers: int = DEFAULT_DOSSIERS,
    seed: int = DEFAULT_SEED,
    year: int = 2026,
) -> None:
    """Create (or replace) tables units, procedures, dossiers, petitions in `con`."""
    _check(dossiers, year)
    h = _Hasher(seed)
    try:
        _create_units(con, h)
        _create_catalog(con, h, year)
        _create_procedures(con, h)
        _create_slots(con, year)
        _create_dossiers(con, h, dossiers, year)
        petitions = (dossiers * _PETITIONS_PER_MILLE + 500) // 1000
        _create_petitions(con, h, petitions, year)
    finally:
        for helper in _HELPERS:
            con.execute(f"DROP TABLE IF EXISTS {helper}")


def write(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path,
    *,
    fmt: Literal["parquet", "csv"] = "parquet",
) -> list[Path]:
    """Write the four tables as out_dir/<table>.parquet or .csv; return the paths.

    CSV files have a header row, are UTF-8 and carry ISO timestamps
    (``2026-03-02T08:15:00``, local time). Rows keep the tables' order.
    """
    if fmt == "parquet":
        options = "FORMAT parquet"
    elif fmt == "csv":
        options = (
            "FORMAT csv, HEADER true, DELIMITER ',', "
            "TIMESTAMPFORMAT '%Y-%m-%dT%H:%M:%S', DATEFORMAT '%Y-%m-%d'"
        )
    else:
        raise ValueError(f"fmt must be 'parquet' or 'csv', got {fmt!r}")
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for table in (UNITS, PROCEDURES, DOSSIERS, PETITIONS):
        path = out_dir / f"{table.name}.{fmt}"
        columns = ", ".join(table.column_names)
        target = "'" + str(path).replace("'", "''") + "'"
        con.execute(f"COPY (SELECT {columns} FROM {table.name}) TO {target} ({options})")
        paths.append(path)
    return paths
