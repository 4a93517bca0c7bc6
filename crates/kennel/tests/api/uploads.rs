//! The photo pipeline through the real API: every class of upload, with the
//! stored objects checked on disk and fetched back over HTTP.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Rgb, RgbImage, Rgba};
use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::admin::admin_token;
use crate::both_databases;
use crate::fixtures::{self, PuppySpec};
use crate::listings::user_with_role;
use crate::support::{assert_problem, Db, Options, TestApp};
use kennel::store::Param;

const RED: [u8; 3] = [220, 30, 30];
const BLUE: [u8; 3] = [30, 60, 220];

/// A picture whose top-left quadrant is red and the rest blue, so a test can
/// tell which way up it was stored.
fn picture(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, y| {
        if x < width / 2 && y < height / 2 {
            Rgb(RED)
        } else {
            Rgb(BLUE)
        }
    }))
}

fn encode(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, format).unwrap();
    out.into_inner()
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    encode(&picture(width, height), ImageFormat::Jpeg)
}

fn ifd_entry(out: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32) {
    out.extend(tag.to_le_bytes());
    out.extend(kind.to_le_bytes());
    out.extend(count.to_le_bytes());
    out.extend(value.to_le_bytes());
}

/// An EXIF APP1 segment as a phone writes it: an orientation and a GPS position.
fn exif_segment(orientation: u16) -> Vec<u8> {
    let mut tiff = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes());
    // IFD0: orientation (SHORT) and the pointer to the GPS IFD at offset 38.
    tiff.extend(2u16.to_le_bytes());
    ifd_entry(&mut tiff, 0x0112, 3, 1, u32::from(orientation));
    ifd_entry(&mut tiff, 0x8825, 4, 1, 38);
    tiff.extend(0u32.to_le_bytes());
    assert_eq!(tiff.len(), 38);
    // GPS IFD: 47°36'12.34" N, 122°25'43.21" W, rationals at offsets 92 and 116.
    tiff.extend(4u16.to_le_bytes());
    ifd_entry(&mut tiff, 0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0"));
    ifd_entry(&mut tiff, 0x0002, 5, 3, 92);
    ifd_entry(&mut tiff, 0x0003, 2, 2, u32::from_le_bytes(*b"W\0\0\0"));
    ifd_entry(&mut tiff, 0x0004, 5, 3, 116);
    tiff.extend(0u32.to_le_bytes());
    assert_eq!(tiff.len(), 92);
    for (num, den) in [
        (47u32, 1u32),
        (36, 1),
        (1234, 100),
        (122, 1),
        (25, 1),
        (4321, 100),
    ] {
        tiff.extend(num.to_le_bytes());
        tiff.extend(den.to_le_bytes());
    }
    let mut segment = vec![0xFF, 0xE1];
    segment.extend(((2 + 6 + tiff.len()) as u16).to_be_bytes());
    segment.extend(b"Exif\0\0");
    segment.extend(tiff);
    segment
}

/// An 800×600 JPEG tagged "rotate 90° clockwise to display" and with GPS.
fn phone_jpeg() -> Vec<u8> {
    let plain = jpeg(800, 600);
    let mut bytes = plain[..2].to_vec();
    bytes.extend(exif_segment(6));
    bytes.extend(&plain[2..]);
    // The fixture really carries what the pipeline must remove.
    let orientation = ImageReader::new(Cursor::new(bytes.as_slice()))
        .with_guessed_format()
        .unwrap()
        .into_decoder()
        .unwrap()
        .orientation()
        .unwrap();
    assert_eq!(orientation, Orientation::Rotate90);
    assert!(contains(&bytes, b"Exif"));
    bytes
}

/// A 500×400 PNG with a fully transparent 100×100 top-left corner.
fn transparent_png() -> Vec<u8> {
    let mut rgba = picture(500, 400).into_rgba8();
    for y in 0..100 {
        for x in 0..100 {
            rgba.put_pixel(x, y, Rgba([0, 0, 0, 0]));
        }
    }
    encode(&DynamicImage::ImageRgba8(rgba), ImageFormat::Png)
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend((data.len() as u32).to_be_bytes());
    out.extend(kind);
    out.extend(data);
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    out.extend(crc.sum().to_be_bytes());
}

/// A real decompression bomb: a valid 20,000 × 20,000 PNG (400 megapixels) in
/// about 50 KB.
fn png_bomb() -> Vec<u8> {
    const SIDE: u32 = 20_000;
    let mut ihdr = Vec::new();
    ihdr.extend(SIDE.to_be_bytes());
    ihdr.extend(SIDE.to_be_bytes());
    ihdr.extend([1, 0, 0, 0, 0]); // 1-bit greyscale, deflate, no filter, no interlace
    let row = vec![0u8; 1 + SIDE as usize / 8];
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    for _ in 0..SIDE {
        zlib.write_all(&row).unwrap();
    }
    let idat = zlib.finish().unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png_chunk(&mut png, b"IHDR", &ihdr);
    png_chunk(&mut png, b"IDAT", &idat);
    png_chunk(&mut png, b"IEND", &[]);
    assert!(png.len() < 200_000, "bomb is {} bytes", png.len());
    png
}

/// An 8000 × 5000 PNG at 16 bits a channel with alpha: 40 megapixels, within
/// the pixel limit, but 320 MB once decoded (8 bytes a pixel); a noisy band
/// keeps it a real image. A few hundred KB.
pub fn png_16bit_rgba(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend(width.to_be_bytes());
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([16, 6, 0, 0, 0]); // 16-bit RGBA, deflate, no filter, no interlace
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut row = vec![0u8; 1 + width as usize * 8];
    for y in 0..height {
        for (x, pixel) in row[1..].chunks_mut(8).enumerate() {
            let shade = if y < 64 {
                ((x as u32 * 7 + y * 13) % 251) as u8
            } else {
                0x80
            };
            pixel.copy_from_slice(&[shade, 0, 0x40, 0, 0x20, 0, 0xff, 0xff]);
        }
        zlib.write_all(&row).unwrap();
    }
    let idat = zlib.finish().unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png_chunk(&mut png, b"IHDR", &ihdr);
    png_chunk(&mut png, b"IDAT", &idat);
    png_chunk(&mut png, b"IEND", &[]);
    png
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The marker segments of a JPEG before its first scan.
fn jpeg_markers(bytes: &[u8]) -> Vec<u8> {
    assert_eq!(&bytes[..2], &[0xFF, 0xD8], "not a JPEG");
    let mut markers = Vec::new();
    let mut i = 2;
    while i + 4 <= bytes.len() && bytes[i] == 0xFF {
        let marker = bytes[i + 1];
        markers.push(marker);
        if marker == 0xDA {
            break;
        }
        i += 2 + usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
    }
    markers
}

/// Every stored file has no metadata a phone could have put there.
fn assert_no_metadata(jpeg: &[u8]) {
    let markers = jpeg_markers(jpeg);
    assert!(markers.contains(&0xDA), "no scan found: {markers:x?}");
    assert!(
        !markers.iter().any(|m| (0xE1..=0xEF).contains(m)),
        "metadata segment kept: {markers:x?}"
    );
    assert!(!contains(jpeg, b"Exif"));
    assert!(!contains(jpeg, b"GPS"));
}

fn stored_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                files.extend(stored_files(&path));
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn near(pixel: [u8; 3], colour: [u8; 3]) -> bool {
    pixel
        .iter()
        .zip(colour)
        .all(|(a, b)| (i32::from(*a) - i32::from(b)).abs() < 40)
}

struct Scene {
    app: TestApp,
    admin: String,
    staff: String,
    organization: Uuid,
    breed: Uuid,
    puppy: Uuid,
}

impl Scene {
    /// A staff member of another organisation.
    async fn other_staff(&self) -> String {
        let org = fixtures::organization(&self.app.store, "south", 30.0, -97.0).await;
        let org = org.to_string();
        user_with_role(
            &self.app,
            &self.admin,
            "other@example.org",
            Some(("staff", &org)),
        )
        .await
    }
}

async fn scene(db: Db) -> Scene {
    scene_with(db, Vec::new()).await
}

/// The scene on an instance with these extra settings.
async fn scene_with(db: Db, env: Vec<(String, String)>) -> Scene {
    let app = TestApp::spawn_with(
        db,
        Options {
            demo: false,
            env,
            ..Options::default()
        },
    )
    .await;
    let breed = fixtures::breed(&app.store, "beagle", "Beagle").await;
    let organization = fixtures::organization(&app.store, "north", 45.5, -122.6).await;
    let puppy = fixtures::puppy(&app.store, PuppySpec::new("Pixel", breed, organization)).await;
    let (admin, _) = admin_token(&app, "root@example.com").await;
    let org = organization.to_string();
    let staff = user_with_role(&app, &admin, "staff@example.org", Some(("staff", &org))).await;
    Scene {
        app,
        admin,
        staff,
        organization,
        breed,
        puppy,
    }
}

/// Uploaded files: (file name, declared type, bytes).
type Files<'a> = Vec<(&'a str, &'a str, Vec<u8>)>;

fn form(files: Files) -> Form {
    files
        .into_iter()
        .fold(Form::new(), |form, (name, mime, bytes)| {
            let part = Part::bytes(bytes)
                .file_name(name.to_string())
                .mime_str(mime)
                .unwrap();
            form.part("photo", part)
        })
}

async fn upload(
    app: &TestApp,
    token: Option<&str>,
    puppy: Uuid,
    files: Files<'_>,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(&format!("/v1/puppies/{puppy}/photos")))
        .multipart(form(files));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

async fn photos_of(app: &TestApp, puppy: Uuid) -> Vec<Value> {
    let (status, body) = app.get_json(&format!("/v1/puppies/{puppy}")).await;
    assert_eq!(status, 200);
    body["photos"].as_array().unwrap().clone()
}

fn ids(photos: &[Value]) -> Vec<String> {
    photos
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect()
}

fn widths(photo: &Value) -> Vec<u64> {
    photo["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["width"].as_u64().unwrap())
        .collect()
}

async fn fetch(app: &TestApp, url: &str) -> Vec<u8> {
    let response = app.client.get(url).send().await.unwrap();
    assert_eq!(response.status(), 200, "{url}");
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    response.bytes().await.unwrap().to_vec()
}

async fn accepted_photos_are_upright_stripped_and_stored_in_sizes(db: Db) {
    let s = scene(db).await;
    let webp = encode(&picture(1600, 1200), ImageFormat::WebP);
    assert_eq!(&webp[8..12], b"WEBP");
    let response = upload(
        &s.app,
        Some(&s.staff),
        s.puppy,
        vec![
            ("IMG_0001.jpg", "image/jpeg", phone_jpeg()),
            ("cutout.png", "image/png", transparent_png()),
            ("walk.webp", "image/webp", webp),
        ],
    )
    .await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    let photos = body["photos"].as_array().unwrap().clone();
    assert_eq!(photos.len(), 3);

    // The JPEG was stored upright: 800×600 turned a quarter clockwise.
    assert_eq!(
        (photos[0]["width"].as_u64(), photos[0]["height"].as_u64()),
        (Some(600), Some(800))
    );
    assert_eq!(widths(&photos[0]), vec![320, 600]);
    assert_eq!(photos[0]["alt"], "Pixel, a Beagle puppy");
    assert_eq!(widths(&photos[1]), vec![320, 500]);
    assert_eq!(widths(&photos[2]), vec![320, 640, 1280]);
    assert_eq!(photos[2]["height"], 960);

    for photo in &photos {
        for variant in photo["variants"].as_array().unwrap() {
            let bytes = fetch(&s.app, variant["url"].as_str().unwrap()).await;
            assert_no_metadata(&bytes);
            let decoded = image::load_from_memory_with_format(&bytes, ImageFormat::Jpeg).unwrap();
            assert_eq!(
                u64::from(decoded.width()),
                variant["width"].as_u64().unwrap()
            );
            assert_eq!(
                u64::from(decoded.height()),
                variant["height"].as_u64().unwrap()
            );
        }
    }
    let small = fetch(&s.app, photos[0]["variants"][0]["url"].as_str().unwrap()).await;
    let small = image::load_from_memory(&small).unwrap().into_rgb8();
    assert_eq!(small.dimensions(), (320, 427));
    // The red corner moved from the top left to the top right.
    assert!(
        near(small.get_pixel(300, 20).0, RED),
        "{:?}",
        small.get_pixel(300, 20)
    );
    assert!(
        near(small.get_pixel(20, 20).0, BLUE),
        "{:?}",
        small.get_pixel(20, 20)
    );
    // Transparency became white, not black.
    let cutout = fetch(&s.app, photos[1]["variants"][0]["url"].as_str().unwrap()).await;
    let cutout = image::load_from_memory(&cutout).unwrap().into_rgb8();
    assert!(
        near(cutout.get_pixel(5, 5).0, [255, 255, 255]),
        "{:?}",
        cutout.get_pixel(5, 5)
    );

    // On disk: exactly the variants, none with metadata.
    let files = stored_files(&s.app.photo_dir);
    assert_eq!(files.len(), 2 + 2 + 3, "{files:?}");
    for file in files {
        assert_no_metadata(&std::fs::read(file).unwrap());
    }
    // The puppy shows them in upload order, and so does browse.
    assert_eq!(ids(&photos_of(&s.app, s.puppy).await), ids(&photos));
    let (_, page) = s.app.get_json("/v1/puppies").await;
    assert_eq!(page["items"][0]["photo"]["id"], photos[0]["id"], "{page}");
}

async fn rejected_uploads_leave_nothing_behind(db: Db) {
    let s = scene(db).await;
    let app = &s.app;
    assert_eq!(
        upload(
            app,
            Some(&s.staff),
            s.puppy,
            vec![("a.jpg", "image/jpeg", jpeg(400, 300))]
        )
        .await
        .status(),
        201
    );
    let before_files = stored_files(&app.photo_dir);
    let before_photos = ids(&photos_of(app, s.puppy).await);
    assert_eq!((before_files.len(), before_photos.len()), (2, 1));
    let unchanged = || async {
        assert_eq!(stored_files(&app.photo_dir), before_files);
        assert_eq!(ids(&photos_of(app, s.puppy).await), before_photos);
    };

    let good = jpeg(640, 480);
    let whole = jpeg(900, 700);
    let truncated = whole[..whole.len() / 2].to_vec();
    let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x00\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;".to_vec();
    let mut heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
    heic.extend(vec![0u8; 2048]);
    let mut oversized = jpeg(400, 300);
    oversized.resize(10 * 1024 * 1024 + 1, 0);

    let cases: Vec<(Files, u16, &str, &str)> = vec![
        (
            vec![("dog.jpg", "image/jpeg", gif)],
            415,
            "unsupported_media_type",
            "JPEG, PNG or WebP",
        ),
        (
            vec![("IMG_0002.HEIC", "image/heic", heic)],
            415,
            "unsupported_media_type",
            "HEIC",
        ),
        (
            vec![("cut.jpg", "image/jpeg", truncated.clone())],
            422,
            "invalid_image",
            "damaged or incomplete",
        ),
        (
            vec![("bomb.png", "image/png", png_bomb())],
            422,
            "image_too_large",
            "20000×20000",
        ),
        // Within the pixel limit, but 16 bits a channel: 320 MB decoded.
        (
            vec![("deep.png", "image/png", png_16bit_rgba(8000, 5000))],
            422,
            "image_too_large",
            "8000×5000 pixels of 16-bit 4-channel colour",
        ),
        (
            vec![("tiny.jpg", "image/jpeg", jpeg(100, 100))],
            422,
            "image_too_small",
            "at least 200",
        ),
        (
            vec![("huge.jpg", "image/jpeg", oversized)],
            413,
            "payload_too_large",
            "larger than 10 MB",
        ),
        (
            (0..5)
                .map(|_| ("x.jpg", "image/jpeg", good.clone()))
                .collect(),
            400,
            "validation_failed",
            "photo",
        ),
        // One bad photo fails the whole request; the good one before it is not kept.
        (
            vec![
                ("ok.jpg", "image/jpeg", good.clone()),
                ("cut.jpg", "image/jpeg", truncated),
            ],
            422,
            "invalid_image",
            "Photo 2 (\"cut.jpg\")",
        ),
    ];
    for (files, status, code, says) in cases {
        let problem = assert_problem(
            upload(app, Some(&s.staff), s.puppy, files).await,
            status,
            code,
        )
        .await;
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.contains(says), "{problem}");
        unchanged().await;
    }

    // Not multipart at all, an unexpected part, and an empty part.
    let r = app
        .client
        .post(app.url(&format!("/v1/puppies/{}/photos", s.puppy)))
        .bearer_auth(&s.staff)
        .json(&json!({"photo": "not a file"}))
        .send()
        .await
        .unwrap();
    assert_problem(r, 415, "unsupported_media_type").await;
    let r = app
        .client
        .post(app.url(&format!("/v1/puppies/{}/photos", s.puppy)))
        .bearer_auth(&s.staff)
        .multipart(Form::new().part("file", Part::bytes(good.clone()).file_name("a.jpg")))
        .send()
        .await
        .unwrap();
    assert_problem(r, 400, "validation_failed").await;
    let r = upload(
        app,
        Some(&s.staff),
        s.puppy,
        vec![("e.jpg", "image/jpeg", Vec::new())],
    )
    .await;
    assert_problem(r, 400, "validation_failed").await;

    // Who may upload: anonymous 401, an adopter 403, another organisation's staff 403.
    let files = || vec![("ok.jpg", "image/jpeg", good.clone())];
    assert_problem(
        upload(app, None, s.puppy, files()).await,
        401,
        "unauthorized",
    )
    .await;
    let adopter = user_with_role(app, &s.admin, "adopter@example.com", None).await;
    assert_problem(
        upload(app, Some(&adopter), s.puppy, files()).await,
        403,
        "forbidden",
    )
    .await;
    let other = s.other_staff().await;
    assert_problem(
        upload(app, Some(&other), s.puppy, files()).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        upload(app, Some(&s.staff), Uuid::now_v7(), files()).await,
        404,
        "not_found",
    )
    .await;
    unchanged().await;
}

async fn a_puppy_has_at_most_twelve_photos_even_under_concurrent_uploads(db: Db) {
    let s = scene(db).await;
    let app = &s.app;
    let four = || {
        (0..4)
            .map(|_| ("p.jpg", "image/jpeg", jpeg(400, 300)))
            .collect::<Vec<_>>()
    };
    for _ in 0..2 {
        assert_eq!(
            upload(app, Some(&s.staff), s.puppy, four()).await.status(),
            201
        );
    }
    // Two uploads of four race for the last four places: exactly one wins.
    let (a, b) = tokio::join!(
        upload(app, Some(&s.staff), s.puppy, four()),
        upload(app, Some(&s.staff), s.puppy, four())
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [201, 409]);
    let loser = if a.status() == 409 { a } else { b };
    let problem = assert_problem(loser, 409, "photo_limit_reached").await;
    assert!(problem["detail"].as_str().unwrap().contains("at most 12"));
    assert_eq!(photos_of(app, s.puppy).await.len(), 12);
    // The loser's objects were removed: two variants for each of the twelve.
    assert_eq!(stored_files(&app.photo_dir).len(), 24);

    let thirteenth = upload(
        app,
        Some(&s.staff),
        s.puppy,
        vec![("13.jpg", "image/jpeg", jpeg(400, 300))],
    )
    .await;
    assert_problem(thirteenth, 409, "photo_limit_reached").await;
    assert_eq!(stored_files(&app.photo_dir).len(), 24);
}

async fn photos_are_reordered_and_deleted_with_their_objects(db: Db) {
    let s = scene(db).await;
    let app = &s.app;
    let three = (0..3)
        .map(|_| ("p.jpg", "image/jpeg", jpeg(400, 300)))
        .collect();
    let r = upload(app, Some(&s.staff), s.puppy, three).await;
    assert_eq!(r.status(), 201);
    let uploaded = ids(r.json::<Value>().await.unwrap()["photos"]
        .as_array()
        .unwrap());
    let order_url = app.url(&format!("/v1/puppies/{}/photos/order", s.puppy));
    let reorder = |token: String, body: Value| {
        let request = app.client.put(&order_url).bearer_auth(token).json(&body);
        async move { request.send().await.unwrap() }
    };

    let reversed: Vec<String> = uploaded.iter().rev().cloned().collect();
    let r = reorder(s.staff.clone(), json!({"photo_ids": reversed})).await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        ids(r.json::<Value>().await.unwrap()["photos"]
            .as_array()
            .unwrap()),
        reversed
    );
    assert_eq!(ids(&photos_of(app, s.puppy).await), reversed);
    // Not exactly the puppy's photos: missing one, a stranger, a duplicate.
    for bad in [
        json!({"photo_ids": reversed[..2]}),
        json!({"photo_ids": [reversed[0], reversed[1], Uuid::now_v7()]}),
        json!({"photo_ids": [reversed[0], reversed[0], reversed[1]]}),
    ] {
        assert_problem(
            reorder(s.staff.clone(), bad).await,
            400,
            "validation_failed",
        )
        .await;
    }
    let other = s.other_staff().await;
    assert_problem(
        reorder(other.clone(), json!({"photo_ids": reversed})).await,
        403,
        "forbidden",
    )
    .await;

    // Deleting the middle photo removes its objects and closes the gap.
    let delete = |token: &str, puppy: Uuid, photo: &str| {
        let request = app
            .client
            .delete(app.url(&format!("/v1/puppies/{puppy}/photos/{photo}")))
            .bearer_auth(token);
        async move { request.send().await.unwrap() }
    };
    assert_problem(
        delete(&other, s.puppy, &reversed[1]).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(stored_files(&app.photo_dir).len(), 6);
    assert_eq!(delete(&s.staff, s.puppy, &reversed[1]).await.status(), 204);
    assert_eq!(
        ids(&photos_of(app, s.puppy).await),
        vec![reversed[0].clone(), reversed[2].clone()]
    );
    let files = stored_files(&app.photo_dir);
    assert_eq!(files.len(), 4);
    assert!(!files
        .iter()
        .any(|f| f.to_string_lossy().contains(&reversed[1].replace('-', ""))));
    assert_problem(
        delete(&s.staff, s.puppy, &reversed[1]).await,
        404,
        "not_found",
    )
    .await;
    // Still orderable after the delete.
    let r = reorder(
        s.staff.clone(),
        json!({"photo_ids": [reversed[2], reversed[0]]}),
    )
    .await;
    assert_eq!(r.status(), 200);

    // Objects shared with another row (as demo photos are) stay until the last row goes.
    let twin = fixtures::puppy(&app.store, PuppySpec::new("Twin", s.breed, s.organization)).await;
    let shared_key: String = {
        let name = files[0]
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        format!("puppies/{}/{name}", s.puppy)
    };
    let twin_photo = Uuid::now_v7();
    fixtures::execute(
        &app.store,
        "INSERT INTO photos (id, puppy_id, position, storage_key, width, height, variants, created_at) \
         VALUES ($1, $2, 0, $3, 400, 300, '320,400', $4)",
        vec![
            Param::Id(twin_photo),
            Param::Id(twin),
            Param::Text(shared_key.clone()),
            Param::Time(chrono::Utc::now()),
        ],
    )
    .await;
    let shared_photo: String = {
        let all = photos_of(app, s.puppy).await;
        let name = shared_key.rsplit('/').next().unwrap().to_string();
        all.iter()
            .map(|p| p["id"].as_str().unwrap().to_string())
            .find(|id| id.replace('-', "") == name)
            .unwrap()
    };
    assert_eq!(delete(&s.staff, s.puppy, &shared_photo).await.status(), 204);
    assert_eq!(
        stored_files(&app.photo_dir).len(),
        4,
        "shared objects were removed"
    );
    assert_eq!(
        delete(&s.staff, twin, &twin_photo.to_string())
            .await
            .status(),
        204
    );
    assert_eq!(stored_files(&app.photo_dir).len(), 2);

    // Every change is in the audit log.
    let (status, log) = {
        let r = app
            .client
            .get(app.url("/v1/admin/audit-log"))
            .bearer_auth(&s.admin)
            .send()
            .await
            .unwrap();
        (r.status(), r.json::<Value>().await.unwrap())
    };
    assert_eq!(status, 200);
    let actions: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in [
        "puppy.photos_added",
        "puppy.photos_reordered",
        "puppy.photo_deleted",
    ] {
        assert!(actions.contains(&action), "{actions:?}");
    }
}

/// A request stopped by its time budget while its photos convert does not give
/// the conversion's memory back to the budget until the conversion really ends
/// (it goes on on the blocking pool): otherwise retries could start conversions
/// beyond the budget while the abandoned ones still hold their memory.
async fn a_stopped_upload_keeps_its_memory_reserved_until_its_conversion_ends(db: Db) {
    let Scene {
        app, staff, puppy, ..
    } = scene_with(db, vec![("REQUEST_TIMEOUT_SECONDS".into(), "1".into())]).await;

    let budget = app.state.photo_budget.memory_available_kib();
    // Four 36-megapixel photos, converted one after the other: far more than a
    // second's work.
    let big = jpeg(6000, 6000);
    let files: Files = (0..4)
        .map(|_| ("big.jpg", "image/jpeg", big.clone()))
        .collect();
    let response = upload(&app, Some(&staff), puppy, files).await;
    assert_problem(response, 503, "timeout").await;
    assert!(
        app.state.photo_budget.memory_available_kib() < budget,
        "the stopped request gave back memory its conversion still uses"
    );
    let stopped = std::time::Instant::now();
    while app.state.photo_budget.memory_available_kib() < budget {
        assert!(
            stopped.elapsed() < std::time::Duration::from_secs(60),
            "the conversion never gave its memory back"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(photos_of(&app, puppy).await.is_empty());
}

both_databases!(
    a_stopped_upload_keeps_its_memory_reserved_until_its_conversion_ends,
    accepted_photos_are_upright_stripped_and_stored_in_sizes,
    rejected_uploads_leave_nothing_behind,
    a_puppy_has_at_most_twelve_photos_even_under_concurrent_uploads,
    photos_are_reordered_and_deleted_with_their_objects,
);
