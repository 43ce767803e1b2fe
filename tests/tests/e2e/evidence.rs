//! Evidence files: judged by content, size-limited, tenant-scoped; reminders before the
//! deadline; answers carried over from the previous round (回头看).

use serde_json::json;
use touming_domain::Role;
use touming_tests::{World, error_code, spawn_app, spawn_app_with};
use touming_worker::Job;

use super::assignments::{SAVE, SUBMIT, full_answers, mine, open_round, open_round_due};

const UPLOAD: &str = "mutation($id: ID!, $code: String!, $file: Upload!) { uploadEvidence(assignmentId: $id, itemCode: $code, file: $file) { id fileName contentType size url } }";

fn pdf() -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
    bytes.extend(std::iter::repeat_n(b' ', 2048));
    bytes.extend(b"\n%%EOF\n");
    bytes
}

#[tokio::test]
async fn evidence_is_judged_by_content_limited_in_size_and_seen_only_by_its_tenants() {
    let app = spawn_app_with(|c| c.evidence.max_file_mb = 1).await;
    let world = World::build(&app).await;
    open_round(&app, &world, None).await;
    let nurse = world.login(&app, &world.hospital, Role::Filler).await;
    let assignment = mine(&app, &nurse).await;
    let id = assignment["id"].as_str().unwrap().to_owned();
    let code = assignment["catalogueVersion"]["items"]["edges"][0]["node"]["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let vars = json!({ "id": id, "code": code });

    let ok = app
        .graphql_upload(&nurse, UPLOAD, vars.clone(), "院务公开截图.pdf", pdf())
        .await;
    let file = &ok["data"]["uploadEvidence"];
    assert_eq!(file["contentType"], "application/pdf", "{ok}");
    assert_eq!(file["fileName"], "院务公开截图.pdf");
    let url = file["url"].as_str().unwrap().to_owned();

    let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00".repeat(64);
    let renamed = app
        .graphql_upload(&nurse, UPLOAD, vars.clone(), "通知.pdf", exe)
        .await;
    assert_eq!(error_code(&renamed), Some("VALIDATION"), "{renamed}");
    assert_eq!(
        renamed["errors"][0]["extensions"]["fields"][0]["field"],
        "file"
    );
    let empty = app
        .graphql_upload(&nurse, UPLOAD, vars.clone(), "空.pdf", Vec::new())
        .await;
    assert!(
        empty["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("为空"),
        "{empty}"
    );
    let mut big = pdf();
    big.resize(1024 * 1024 + 10, b' ');
    let big = app
        .graphql_upload(&nurse, UPLOAD, vars.clone(), "大.pdf", big)
        .await;
    assert!(
        big["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("1 MB"),
        "{big}"
    );
    let files = app
        .graphql(
            Some(&nurse),
            "query($id: ID!) { assignment(id: $id) { evidenceFiles { fileName } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        files["data"]["assignment"]["evidenceFiles"],
        json!([{ "fileName": "院务公开截图.pdf" }]),
        "only the good file"
    );

    // Downloads go through the same tenancy: the county above may, a stranger may not.
    let download = |token: String| {
        let request = app.client.get(app.url(&url)).bearer_auth(token);
        async move { request.send().await.unwrap() }
    };
    let own = download(nurse.clone()).await;
    assert_eq!(own.status(), 200);
    assert_eq!(own.bytes().await.unwrap().to_vec(), pdf());
    let county = world.login(&app, &world.heping, Role::Reviewer).await;
    assert_eq!(download(county).await.status(), 200);
    let neighbour = world.login(&app, &world.shenhe, Role::Filler).await;
    assert_eq!(download(neighbour.clone()).await.status(), 404);
    let foreign = app
        .graphql_upload(&neighbour, UPLOAD, vars.clone(), "x.pdf", pdf())
        .await;
    assert_eq!(error_code(&foreign), Some("NOT_FOUND"));
    app.stop().await;
}

#[tokio::test]
async fn an_uploaded_file_is_evidence_enough_to_submit() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    open_round(&app, &world, None).await;
    let nurse = world.login(&app, &world.hospital, Role::Filler).await;
    let assignment = mine(&app, &nurse).await;
    let id = assignment["id"].as_str().unwrap().to_owned();
    let mut answers = full_answers(&assignment, 40);
    // Strip the links from items that need evidence: submission must then ask for it.
    let needs: Vec<String> = assignment["catalogueVersion"]["items"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["node"]["evidenceRequired"] == true)
        .map(|e| e["node"]["code"].as_str().unwrap().to_owned())
        .collect();
    for a in &mut answers {
        if needs.contains(&a["itemCode"].as_str().unwrap().to_owned()) {
            a["evidenceUrls"] = json!([]);
        }
    }
    app.graphql(
        Some(&nurse),
        SAVE,
        json!({ "id": id, "v": 0, "a": answers }),
    )
    .await;
    let r = app
        .graphql(Some(&nurse), SUBMIT, json!({ "id": id, "v": 1 }))
        .await;
    assert_eq!(error_code(&r), Some("VALIDATION"));
    let missing: Vec<String> = r["errors"][0]["extensions"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(missing.len(), needs.len(), "{missing:?}");
    for code in &needs {
        let up = app
            .graphql_upload(
                &nurse,
                UPLOAD,
                json!({ "id": id, "code": code }),
                "证明.pdf",
                pdf(),
            )
            .await;
        assert!(up.get("errors").is_none(), "{up}");
    }
    let r = app
        .graphql(Some(&nurse), SUBMIT, json!({ "id": id, "v": 1 }))
        .await;
    assert_eq!(r["data"]["submitAssignment"]["status"], "SUBMITTED", "{r}");
    let late = app
        .graphql_upload(
            &nurse,
            UPLOAD,
            json!({ "id": id, "code": needs[0] }),
            "迟到.pdf",
            pdf(),
        )
        .await;
    assert_eq!(
        error_code(&late),
        Some("VALIDATION"),
        "no uploads once submitted"
    );
    app.stop().await;
}

#[tokio::test]
async fn assignments_not_submitted_near_the_deadline_get_one_reminder() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    open_round_due(&app, &world, None, 2, false).await;
    // The hospital submits; the two counties do not.
    let nurse = world.login(&app, &world.hospital, Role::Filler).await;
    let hospital = mine(&app, &nurse).await;
    let hid = hospital["id"].as_str().unwrap().to_owned();
    app.graphql(
        Some(&nurse),
        SAVE,
        json!({ "id": hid, "v": 0, "a": full_answers(&hospital, 3) }),
    )
    .await;
    let r = app
        .graphql(Some(&nurse), SUBMIT, json!({ "id": hid, "v": 1 }))
        .await;
    assert_eq!(r["data"]["submitAssignment"]["status"], "SUBMITTED", "{r}");

    for _ in 0..2 {
        app.state().queue.enqueue(&Job::Reminders).await.unwrap();
    }
    let filler = world.login(&app, &world.heping, Role::Filler).await;
    let list = "{ notifications { totalCount edges { node { kind message } } } }";
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let r = app.graphql(Some(&filler), list, json!({})).await;
        if r["data"]["notifications"]["totalCount"] == 1 {
            let node = &r["data"]["notifications"]["edges"][0]["node"];
            assert_eq!(node["kind"], "deadline_reminder");
            assert!(
                node["message"].as_str().unwrap().contains("2 天后"),
                "{node}"
            );
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no reminder within 10 s: {r}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // Give the second job time to run; still one reminder per checklist.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        app.count("notification").await,
        2,
        "the two counties, once each"
    );
    let r = app.graphql(Some(&nurse), list, json!({})).await;
    assert_eq!(
        r["data"]["notifications"]["totalCount"], 0,
        "the hospital submitted"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_new_round_starts_from_last_time_without_submitting_for_anyone() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let first = open_round(&app, &world, None).await;
    let filler = world.login(&app, &world.heping, Role::Filler).await;
    let assignment = mine(&app, &filler).await;
    let id = assignment["id"].as_str().unwrap().to_owned();
    let answers = full_answers(&assignment, 4);
    app.graphql(
        Some(&filler),
        SAVE,
        json!({ "id": id, "v": 0, "a": answers[..4] }),
    )
    .await;

    open_round(&app, &world, Some(&first)).await;
    let all = app
        .graphql(
            Some(&filler),
            "{ myAssignments { id status version answers { itemCode prefilled publishedOn } } }",
            json!({}),
        )
        .await;
    let second = &all["data"]["myAssignments"][0];
    assert_ne!(second["id"].as_str().unwrap(), id, "newest first");
    assert_eq!(
        second["status"], "NOT_STARTED",
        "nothing submitted on the filler's behalf"
    );
    let carried = second["answers"].as_array().unwrap();
    assert_eq!(carried.len(), 4);
    assert!(carried.iter().all(|a| a["prefilled"] == true));
    assert_eq!(carried[0]["publishedOn"], answers[0]["publishedOn"]);

    // Confirming an answer (saving it) clears its mark.
    let second_id = second["id"].as_str().unwrap().to_owned();
    let r = app
        .graphql(
            Some(&filler),
            "mutation($id: ID!, $a: [AnswerInput!]!) { saveAnswers(assignmentId: $id, expectedVersion: 0, answers: $a) { answers { itemCode prefilled } } }",
            json!({ "id": second_id, "a": [answers[0].clone()] }),
        )
        .await;
    let after: Vec<bool> = r["data"]["saveAnswers"]["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["prefilled"].as_bool().unwrap())
        .collect();
    assert_eq!(after.iter().filter(|p| !**p).count(), 1, "{r}");
    app.stop().await;
}
