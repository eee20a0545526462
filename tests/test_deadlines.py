from datetime import date

import pytest

from core.deadlines import format_cn_date, parse_deadline


@pytest.mark.parametrize("text, due, kind, explicit", [
    ("2021年底前制定或完善本单位政务公开工作相关制度", date(2021, 12, 31), "date", True),
    ("2021年10月底前做好各标准事项的信息公开工作,并长期坚持", date(2021, 10, 31), "date", True),
    ("2022年2月底前完成", date(2022, 2, 28), "date", True),
    ("2021年9月30日前报送", date(2021, 9, 30), "date", True),
    ("6月底前完成自查,2021年底前整改", date(2021, 6, 30), "date", True),  # the earliest
    ("各单位主要负责同志每年至少听取1次政务公开工作汇报", date(2021, 12, 31), "yearly", False),
    ("建立本单位2021年政务公开工作重点任务台账", None, "none", False),
    ("有效依托12345政务服务便民热线", None, "none", False),
])
def test_deadline_from_requirement_text(text, due, kind, explicit):
    d = parse_deadline(text, 2021)
    assert (d.due, d.kind, d.explicit) == (due, kind, explicit)


def test_chinese_dates_have_no_zero_padding():
    assert format_cn_date(date(2021, 8, 3)) == "2021年8月3日"
    assert format_cn_date("2021-12-20") == "2021年12月20日"
    assert format_cn_date(None) == ""
