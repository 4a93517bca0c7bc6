//! The web app's session: an `HttpOnly` cookie instead of a token the page
//! holds, changes made by it only with the client header (CSRF), credentialed
//! CORS for the allowed origins only, and sending messages only from a
//! confirmed address.

use reqwest::header::{HeaderMap, COOKIE, SET_COOKIE};
use reqwest::Method;
use serde_json::{json, Value};

use crate::both_databases;
use crate::support::{assert_problem, sign_up, sign_up_verified, Db, Options, TestApp, PASSWORD};

const WEB_ORIGIN: &str = "https://app.kennel.example";

async fn web_app(db: Db) -> TestApp {
    let mut options = Options::default();
    options.env.push(("CORS_ORIGINS".into(), WEB_ORIGIN.into()));
    TestApp::spawn_with(db, options).await
}

async fn web_login(app: &TestApp, email: &str) -> (reqwest::Response, String) {
    let r = app
        .client
        .post(app.url("/v1/auth/login"))
        .json(&json!({"email": email, "password": PASSWORD, "cookie": true}))
        .send()
        .await
        .unwrap();
    let cookie = set_cookie(r.headers()).expect("a web sign-in sets the session cookie");
    (r, cookie)
}

fn set_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get(SET_COOKIE)
        .map(|v| v.to_str().unwrap().to_string())
}

/// `kennel_session=<token>`, as a browser sends it back.
fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_string()
}

async fn with_cookie(
    app: &TestApp,
    method: Method,
    path: &str,
    cookie: &str,
    client_header: bool,
) -> reqwest::Response {
    let mut request = app
        .client
        .request(method, app.url(path))
        .header(COOKIE, format!("theme=dark; {cookie}"));
    if client_header {
        request = request.header("x-kennel-client", "web");
    }
    request.send().await.unwrap()
}

async fn favourite_count(app: &TestApp, token: &str) -> usize {
    let r = app.get_as("/v1/me/favorites", token).await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    body["items"].as_array().unwrap().len()
}

async fn a_web_session_lives_in_an_http_only_cookie_scripts_never_see(db: Db) {
    let app = web_app(db).await;
    let bearer = sign_up(&app, "ada@example.com", "Ada").await;
    let bearer = bearer["token"].as_str().unwrap().to_string();

    let (r, set) = web_login(&app, "ada@example.com").await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert!(
        body.get("token").is_none(),
        "the token is in the body: {body}"
    );
    assert_eq!(body["user"]["email"], "ada@example.com");
    let attributes: Vec<&str> = set.split("; ").collect();
    assert!(attributes[0].starts_with("kennel_session=kn_"), "{set}");
    for wanted in [
        "HttpOnly",
        "Secure",
        "SameSite=Strict",
        "Path=/",
        "Max-Age=2592000",
    ] {
        assert!(attributes.contains(&wanted), "{wanted} missing: {set}");
    }
    let cookie = cookie_pair(&set);
    // A bearer sign-in sets no cookie.
    let r = app
        .post_json(
            "/v1/auth/login",
            json!({"email": "ada@example.com", "password": PASSWORD}),
            None,
        )
        .await;
    assert!(set_cookie(r.headers()).is_none());

    // Reads by cookie need nothing more; the answer is private.
    let r = with_cookie(&app, Method::GET, "/v1/me", &cookie, false).await;
    assert_eq!(r.status(), 200);
    let me: Value = r.json().await.unwrap();
    assert_eq!(me["email"], "ada@example.com");
    let r = with_cookie(&app, Method::GET, "/v1/puppies?limit=1", &cookie, false).await;
    assert_eq!(r.status(), 200);
    let vary = r.headers()["vary"].to_str().unwrap().to_string();
    assert!(vary.contains("cookie"), "{vary}");
    assert!(r.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("private"));

    // A change by cookie without the client header is refused and does nothing
    // (what a forged form from another site would send); with it, it is made.
    let puppy = app.get_all("/v1/puppies?limit=1").await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/v1/me/favorites/{puppy}");
    let r = with_cookie(&app, Method::PUT, &path, &cookie, false).await;
    let problem = assert_problem(r, 403, "csrf_header_missing").await;
    assert!(problem["detail"]
        .as_str()
        .unwrap()
        .contains("X-Kennel-Client"));
    assert_eq!(favourite_count(&app, &bearer).await, 0);
    let r = with_cookie(&app, Method::PUT, &path, &cookie, true).await;
    assert_eq!(r.status(), 204);
    assert_eq!(favourite_count(&app, &bearer).await, 1);

    // A made-up cookie is no session.
    for fake in ["kennel_session=kn_madeup", "kennel_session=not-a-token"] {
        let r = with_cookie(&app, Method::GET, "/v1/me", fake, false).await;
        assert_problem(r, 401, "unauthorized").await;
    }

    // Signing out ends the session and clears the cookie; signing out needs
    // the client header like any change.
    let r = with_cookie(&app, Method::POST, "/v1/auth/logout", &cookie, false).await;
    assert_problem(r, 403, "csrf_header_missing").await;
    let r = with_cookie(&app, Method::POST, "/v1/auth/logout", &cookie, true).await;
    assert_eq!(r.status(), 204);
    let cleared = set_cookie(r.headers()).expect("signing out clears the cookie");
    assert!(cleared.starts_with("kennel_session=;"), "{cleared}");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    let r = with_cookie(&app, Method::GET, "/v1/me", &cookie, false).await;
    assert_problem(r, 401, "unauthorized").await;
    // The ended cookie is anonymous on public routes, never a 401 there…
    let r = with_cookie(&app, Method::GET, "/v1/puppies?limit=1", &cookie, false).await;
    assert_eq!(r.status(), 200);
    // …and signing out again still clears it.
    let r = with_cookie(&app, Method::POST, "/v1/auth/logout", &cookie, true).await;
    assert_eq!(r.status(), 204);
    assert!(set_cookie(r.headers()).unwrap().contains("Max-Age=0"));
    // Without any session, signing out is a 401 as before.
    let r = app
        .client
        .post(app.url("/v1/auth/logout"))
        .send()
        .await
        .unwrap();
    assert_problem(r, 401, "unauthorized").await;
    // The bearer session was never touched.
    assert_eq!(app.get_as("/v1/me", &bearer).await.status(), 200);
}

async fn only_allowed_origins_may_call_with_credentials(db: Db) {
    let app = web_app(db).await;
    let preflight = |origin: &'static str| {
        let app = &app;
        async move {
            app.client
                .request(Method::OPTIONS, app.url("/v1/me/favorites/x"))
                .header("origin", origin)
                .header("access-control-request-method", "PUT")
                .header("access-control-request-headers", "x-kennel-client")
                .send()
                .await
                .unwrap()
        }
    };
    let r = preflight(WEB_ORIGIN).await;
    assert!(r.status().is_success(), "{}", r.status());
    let h = r.headers();
    assert_eq!(h["access-control-allow-origin"], WEB_ORIGIN);
    assert_eq!(h["access-control-allow-credentials"], "true");
    assert!(h["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .contains("x-kennel-client"));
    let r = preflight("https://evil.example").await;
    assert!(r.headers().get("access-control-allow-origin").is_none());
}

async fn only_confirmed_addresses_send_messages(db: Db) {
    let app = TestApp::spawn(db).await;
    let (admin, _) = crate::admin::admin_token(&app, "root@example.com").await;
    let puppies = app.get_all("/v1/puppies?limit=1").await;
    let puppy = puppies[0]["id"].as_str().unwrap();
    let org = puppies[0]["organization"]["id"].as_str().unwrap();
    let ask = json!({"message": "Is she still looking for a home?", "contact_preference": "app"});
    let post = |path: String, token: String, body: Value| {
        let app = &app;
        async move {
            app.client
                .post(app.url(&path))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };

    // An unconfirmed adopter browses and saves favourites, but may not write.
    let fresh = sign_up(&app, "new@example.com", "New").await;
    let fresh = fresh["token"].as_str().unwrap().to_string();
    let r = app
        .client
        .put(app.url(&format!("/v1/me/favorites/{puppy}")))
        .bearer_auth(&fresh)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let inquiries = format!("/v1/puppies/{puppy}/inquiries");
    let r = post(inquiries.clone(), fresh.clone(), ask.clone()).await;
    assert_problem(r, 403, "email_unverified").await;
    let mine: Value = app
        .get_as("/v1/me/inquiries", &fresh)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["items"], json!([]));

    // A confirmed adopter writes; unconfirmed staff of the organisation may
    // read the thread but not answer it until they confirm too.
    let ada = sign_up_verified(&app, "ada@example.com", "Ada").await;
    let ada = ada["token"].as_str().unwrap().to_string();
    let r = post(inquiries, ada.clone(), ask).await;
    assert_eq!(r.status(), 201);
    let thread: Value = r.json().await.unwrap();
    let thread = thread["id"].as_str().unwrap().to_string();
    let staff = sign_up(&app, "sam@example.com", "Sam").await;
    let staff_id = staff["user"]["id"].as_str().unwrap();
    let staff = staff["token"].as_str().unwrap().to_string();
    let r = app
        .client
        .put(app.url(&format!("/v1/admin/users/{staff_id}/role")))
        .bearer_auth(&admin)
        .json(&json!({"role": "staff", "organization_id": org}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        app.get_as(&format!("/v1/inquiries/{thread}"), &staff)
            .await
            .status(),
        200
    );
    let replies = format!("/v1/inquiries/{thread}/replies");
    let r = post(replies.clone(), staff.clone(), json!({"message": "Yes!"})).await;
    assert_problem(r, 403, "email_unverified").await;
    // Someone else's thread stays a 404, whatever their address.
    let r = post(replies.clone(), fresh, json!({"message": "Hello?"})).await;
    assert_problem(r, 404, "not_found").await;
    // The administrator made by the command line counts as confirmed.
    let r = post(
        replies,
        admin,
        json!({"message": "Answered for the shelter."}),
    )
    .await;
    assert_eq!(r.status(), 201);
    let body: Value = app
        .get_as(&format!("/v1/inquiries/{thread}"), &ada)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["replies"].as_array().unwrap().len(), 1);
}

both_databases!(
    a_web_session_lives_in_an_http_only_cookie_scripts_never_see,
    only_allowed_origins_may_call_with_credentials,
    only_confirmed_addresses_send_messages,
);
