//! The catalogues shipped with Touming, in `api/catalogues/*.yaml`, owned by the
//! platform and readable by every province.

use super::import::{Parsed, yaml};

pub struct Builtin {
    pub file: &'static str,
    pub source: &'static str,
}

pub const BUILTINS: &[Builtin] = &[
    Builtin {
        file: "county-health.yaml",
        source: include_str!("../../catalogues/county-health.yaml"),
    },
    Builtin {
        file: "medical-institution.yaml",
        source: include_str!("../../catalogues/medical-institution.yaml"),
    },
];

/// Every built-in catalogue, parsed. They are tested, so a failure here is a bug.
pub fn parsed() -> Vec<(&'static str, Parsed)> {
    BUILTINS
        .iter()
        .map(|b| {
            let parsed = yaml::parse(b.source.as_bytes())
                .unwrap_or_else(|e| panic!("built-in catalogue {} is invalid: {e:?}", b.file));
            (b.file, parsed)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::catalogue::export::to_xlsx;
    use crate::catalogue::import::{Format, parse};

    fn first_levels(parsed: &Parsed) -> BTreeSet<&str> {
        parsed
            .items
            .iter()
            .filter_map(|i| i.category.first().map(String::as_str))
            .collect()
    }

    #[test]
    fn the_county_catalogue_covers_every_category_and_the_work_plan_items() {
        let all = parsed();
        let (_, county) = all
            .iter()
            .find(|(f, _)| *f == "county-health.yaml")
            .unwrap();
        assert!(county.items.len() >= 60, "{} items", county.items.len());
        let expected: BTreeSet<&str> = [
            "政策文件",
            "行政许可",
            "行政处罚",
            "行政强制",
            "行政征收",
            "行政给付",
            "行政检查",
            "行政确认",
            "行政奖励",
            "行政裁决",
            "行政备案",
            "公共卫生服务",
            "投诉举报",
        ]
        .into();
        assert_eq!(first_levels(county), expected);
        let titles: BTreeSet<&str> = county.items.iter().map(|i| i.title.as_str()).collect();
        for named in [
            "权责清单",
            "机构职能与设置",
            "规范性文件",
            "政策解读",
            "部门预算",
            "部门决算",
            "法定传染病疫情",
            "集中式生活饮用水水质监督信息",
            "“双随机、一公开”抽查结果",
            "免费产前筛查",
            "农村妇女“两癌”检查",
            "免费婚前医学检查",
            "疫苗接种",
            "建议提案办理结果",
            "政府信息公开工作年度报告",
        ] {
            assert!(titles.contains(named), "{named} missing");
        }
        let licensing: BTreeSet<&str> = county
            .items
            .iter()
            .filter(|i| i.category.first().is_some_and(|c| c == "行政许可"))
            .map(|i| i.category[1].as_str())
            .collect();
        for licence in [
            "医疗机构执业登记",
            "母婴保健技术服务机构执业许可",
            "公共场所卫生许可",
            "乡村医生执业注册",
        ] {
            assert!(licensing.contains(licence), "{licence}");
        }
        assert!(county.items.iter().any(|i| i.veto), "veto items are chosen");
    }

    #[test]
    fn the_institution_catalogue_covers_every_category() {
        let all = parsed();
        let (_, institution) = all
            .iter()
            .find(|(f, _)| *f == "medical-institution.yaml")
            .unwrap();
        assert!(
            institution.items.len() >= 30,
            "{} items",
            institution.items.len()
        );
        assert_eq!(first_levels(institution).len(), 9);
        assert_eq!(
            institution.applies_to,
            vec![touming_domain::OrgKind::Institution]
        );
    }

    #[test]
    fn export_then_import_gives_the_same_items() {
        for (file, parsed) in parsed() {
            let bytes = to_xlsx("往返测试", &parsed.items).unwrap();
            let again = parse(Format::Xlsx, &bytes).unwrap_or_else(|e| panic!("{file}: {e:?}"));
            assert_eq!(again.items.len(), parsed.items.len(), "{file}");
            for (a, b) in parsed.items.iter().zip(&again.items) {
                assert_eq!(a, b, "{file} item {}", a.code);
            }
        }
    }
}
