//! Breeds, organisations and photo variants.

use crate::both_databases;
use crate::support::{assert_problem, Db, TestApp};

async fn breeds_list_every_breed_with_size_and_temperament(db: Db) {
    let app = TestApp::spawn(db).await;
    let (status, body) = app.get_json("/v1/breeds").await;
    assert_eq!(status, 200);
    let items = body["items"].as_array().unwrap();
    assert!(items.len() >= 40, "{}", items.len());
    for breed in items {
        assert!(["small", "medium", "large", "giant"].contains(&breed["size"].as_str().unwrap()));
        assert_eq!(breed["temperament"].as_array().unwrap().len(), 3);
    }
    let names: Vec<&str> = items.iter().map(|b| b["name"].as_str().unwrap()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    let total: i64 = items
        .iter()
        .map(|b| b["available_puppies"].as_i64().unwrap())
        .sum();
    assert!(total > 100);
}

async fn organization_profile_is_public_without_contact_details(db: Db) {
    let app = TestApp::spawn(db).await;
    let (_, list) = app.get_json("/v1/puppies?limit=1").await;
    let org_id = list["items"][0]["organization"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, org) = app.get_json(&format!("/v1/organizations/{org_id}")).await;
    assert_eq!(status, 200);
    assert_eq!(org["id"], org_id.as_str());
    assert!(org["available_puppies"].as_i64().unwrap() >= 1);
    assert!(org.get("email").is_none() && org.get("phone").is_none());
    assert!(!org.to_string().contains("adopt@"));

    let missing = app
        .get("/v1/organizations/0190a0a0-0000-7000-8000-000000000000")
        .await;
    assert_problem(missing, 404, "not_found").await;
    let malformed = app.get("/v1/organizations/not-a-uuid").await;
    let body = assert_problem(malformed, 400, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "id");
}

async fn photo_variants_are_served_as_cacheable_jpeg(db: Db) {
    let app = TestApp::spawn(db).await;
    let (_, list) = app.get_json("/v1/puppies?limit=1").await;
    let photo = &list["items"][0]["photo"];
    let variant = &photo["variants"][1];
    let url = variant["url"].as_str().unwrap();
    let response = app.client.get(url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    assert!(response.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    let etag = response.headers()["etag"].to_str().unwrap().to_string();
    let bytes = response.bytes().await.unwrap();
    let image = image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg).unwrap();
    assert_eq!(image.width() as u64, variant["width"].as_u64().unwrap());
    assert_eq!(image.height() as u64, variant["height"].as_u64().unwrap());

    let again = app
        .client
        .get(url)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);

    let id = photo["id"].as_str().unwrap();
    assert_problem(
        app.get(&format!("/v1/photos/{id}/999.jpg")).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get(&format!("/v1/photos/{id}/large.png")).await,
        400,
        "validation_failed",
    )
    .await;
    assert_problem(
        app.get("/v1/photos/0190a0a0-0000-7000-8000-000000000000/640.jpg")
            .await,
        404,
        "not_found",
    )
    .await;
}

both_databases!(
    breeds_list_every_breed_with_size_and_temperament,
    organization_profile_is_public_without_contact_details,
    photo_variants_are_served_as_cacheable_jpeg,
);
