//! The working-day calendar as the API serves it, and the operator adding a year.

use serde_json::json;
use touming_domain::Role;
use touming_tests::world::PASSWORD;
use touming_tests::{World, error_code, error_fields, spawn_app};

const SET: &str = "mutation($i: CalendarYearInput!) { setCalendarYear(input: $i) { year notice holidays workdays } }";
const DEADLINE: &str = "query($f: Date!, $d: Int!) { workingDayDeadline(from: $f, days: $d) }";

#[tokio::test]
async fn deadlines_count_official_working_days_and_the_operator_adds_a_year() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let filler = world.login(&app, &world.heping, Role::Filler).await;

    // 30 September 2025 + 1 working day skips the eight-day National Day holiday.
    let r = app
        .graphql(
            Some(&filler),
            DEADLINE,
            json!({ "f": "2025-09-30", "d": 1 }),
        )
        .await;
    assert_eq!(r["data"]["workingDayDeadline"], "2025-10-09", "{r}");
    let year = app
        .graphql(
            Some(&filler),
            "{ calendarYear(year: 2026) { notice workdays } }",
            json!({}),
        )
        .await;
    assert!(
        year["data"]["calendarYear"]["workdays"]
            .as_array()
            .unwrap()
            .contains(&json!("2026-02-14"))
    );

    // 2027 is not known yet: an error, never a guess.
    let r = app
        .graphql(
            Some(&filler),
            DEADLINE,
            json!({ "f": "2026-12-30", "d": 5 }),
        )
        .await;
    assert_eq!(error_code(&r), Some("VALIDATION"), "{r}");
    assert!(r["errors"][0]["message"].as_str().unwrap().contains("2027"));

    let input = json!({ "year": 2027, "notice": "国办发明电〔2026〕1号", "holidays": ["2027-01-01..2027-01-03"], "workdays": [] });
    let r = app.graphql(Some(&filler), SET, json!({ "i": input })).await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"));
    let province = world.login(&app, &world.liaoning, Role::Admin).await;
    assert_eq!(
        error_code(
            &app.graphql(Some(&province), SET, json!({ "i": input }))
                .await
        ),
        Some("FORBIDDEN")
    );

    // The platform operator enters the year; a make-up day on a weekday is refused.
    let platform = touming_api::orgs::ensure_platform(&app.db).await.unwrap();
    let operator = world.user(&app, &platform, Role::Admin).await;
    let operator = app.login(&operator, PASSWORD).await;
    let wrong = json!({ "year": 2027, "notice": "x", "holidays": [], "workdays": ["2027-01-04"] });
    let r = app
        .graphql(Some(&operator), SET, json!({ "i": wrong }))
        .await;
    assert_eq!(error_fields(&r), vec!["holidays"], "{r}");
    let r = app
        .graphql(Some(&operator), SET, json!({ "i": input }))
        .await;
    assert_eq!(
        r["data"]["setCalendarYear"]["holidays"],
        json!(["2027-01-01", "2027-01-02", "2027-01-03"]),
        "{r}"
    );
    let r = app
        .graphql(
            Some(&filler),
            DEADLINE,
            json!({ "f": "2026-12-30", "d": 2 }),
        )
        .await;
    assert_eq!(r["data"]["workingDayDeadline"], "2027-01-04", "{r}");
    let audit = app.count("audit_event").await;
    assert!(audit > 0);
    app.stop().await;
}
