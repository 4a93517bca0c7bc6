//! Draws the demo photos: a friendly cartoon puppy face in a coat palette and
//! pose, rendered by the program itself so the demo needs no downloaded images.

use image::imageops::FilterType;
use image::{Rgb, RgbImage};

use super::data::Palette;

/// Widths of the stored variants, smallest first (4:3 images).
pub const VARIANT_WIDTHS: [u32; 3] = [320, 640, 1280];
pub const FULL_WIDTH: u32 = 1280;
pub const FULL_HEIGHT: u32 = 960;
/// Ear styles and backgrounds: each palette is drawn in this many poses.
pub const POSES: usize = 3;

const BACKGROUNDS: [[[u8; 3]; 2]; POSES] = [
    [[186, 220, 244], [236, 246, 252]],
    [[252, 222, 196], [255, 244, 232]],
    [[204, 236, 204], [240, 250, 236]],
];

fn fill(
    img: &mut RgbImage,
    bounds: (f32, f32, f32, f32),
    colour: [u8; 3],
    inside: impl Fn(f32, f32) -> bool,
) {
    let (x0, y0, x1, y1) = bounds;
    let (w, h) = img.dimensions();
    let xs = (x0.max(0.0) as u32)..(x1.min(w as f32 - 1.0).max(0.0) as u32 + 1);
    let ys = (y0.max(0.0) as u32)..(y1.min(h as f32 - 1.0).max(0.0) as u32 + 1);
    for y in ys {
        for x in xs.clone() {
            if inside(x as f32 + 0.5, y as f32 + 0.5) {
                img.put_pixel(x, y, Rgb(colour));
            }
        }
    }
}

fn ellipse(img: &mut RgbImage, cx: f32, cy: f32, rx: f32, ry: f32, colour: [u8; 3]) {
    fill(img, (cx - rx, cy - ry, cx + rx, cy + ry), colour, |x, y| {
        let (dx, dy) = ((x - cx) / rx, (y - cy) / ry);
        dx * dx + dy * dy <= 1.0
    });
}

fn triangle(img: &mut RgbImage, p: [(f32, f32); 3], colour: [u8; 3]) {
    let min_x = p.iter().map(|q| q.0).fold(f32::MAX, f32::min);
    let max_x = p.iter().map(|q| q.0).fold(f32::MIN, f32::max);
    let min_y = p.iter().map(|q| q.1).fold(f32::MAX, f32::min);
    let max_y = p.iter().map(|q| q.1).fold(f32::MIN, f32::max);
    let edge = |a: (f32, f32), b: (f32, f32), x: f32, y: f32| {
        (b.0 - a.0) * (y - a.1) - (b.1 - a.1) * (x - a.0)
    };
    fill(img, (min_x, min_y, max_x, max_y), colour, |x, y| {
        let (e0, e1, e2) = (
            edge(p[0], p[1], x, y),
            edge(p[1], p[2], x, y),
            edge(p[2], p[0], x, y),
        );
        (e0 >= 0.0 && e1 >= 0.0 && e2 >= 0.0) || (e0 <= 0.0 && e1 <= 0.0 && e2 <= 0.0)
    });
}

fn lighten(c: [u8; 3], amount: f32) -> [u8; 3] {
    c.map(|v| (v as f32 + (255.0 - v as f32) * amount) as u8)
}

/// Draws one full-size picture.
pub fn render(palette: &Palette, pose: usize) -> RgbImage {
    let (w, h) = (FULL_WIDTH, FULL_HEIGHT);
    let [top, bottom] = BACKGROUNDS[pose % POSES];
    let mut img = RgbImage::from_fn(w, h, |_, y| {
        let t = y as f32 / h as f32;
        Rgb([0, 1, 2].map(|i| (top[i] as f32 * (1.0 - t) + bottom[i] as f32 * t) as u8))
    });
    // Floor shadow.
    ellipse(
        &mut img,
        640.0,
        880.0,
        360.0,
        50.0,
        lighten([90, 90, 100], 0.55),
    );

    let (cx, cy) = (640.0, 500.0);
    match pose % POSES {
        0 => {
            // Floppy ears.
            ellipse(&mut img, cx - 250.0, cy - 20.0, 95.0, 210.0, palette.ears);
            ellipse(&mut img, cx + 250.0, cy - 20.0, 95.0, 210.0, palette.ears);
        }
        1 => {
            // Pointed ears.
            triangle(
                &mut img,
                [
                    (cx - 270.0, cy - 90.0),
                    (cx - 230.0, cy - 400.0),
                    (cx - 90.0, cy - 220.0),
                ],
                palette.ears,
            );
            triangle(
                &mut img,
                [
                    (cx + 270.0, cy - 90.0),
                    (cx + 230.0, cy - 400.0),
                    (cx + 90.0, cy - 220.0),
                ],
                palette.ears,
            );
        }
        _ => {
            // One ear up, one flopped.
            triangle(
                &mut img,
                [
                    (cx - 270.0, cy - 90.0),
                    (cx - 230.0, cy - 400.0),
                    (cx - 90.0, cy - 220.0),
                ],
                palette.ears,
            );
            ellipse(&mut img, cx + 250.0, cy - 20.0, 95.0, 210.0, palette.ears);
        }
    }
    // Head and muzzle.
    ellipse(&mut img, cx, cy, 270.0, 250.0, palette.coat);
    if let Some(patch) = palette.patch {
        ellipse(&mut img, cx - 110.0, cy - 60.0, 95.0, 80.0, patch);
        if palette.name == "brindle" {
            for i in 0..7 {
                let x = cx - 200.0 + i as f32 * 65.0;
                ellipse(&mut img, x, cy - 150.0, 12.0, 70.0, patch);
            }
        }
    }
    ellipse(
        &mut img,
        cx,
        cy + 120.0,
        160.0,
        115.0,
        lighten(palette.coat, 0.35),
    );
    // Eyes with highlights.
    for dx in [-95.0, 95.0] {
        ellipse(&mut img, cx + dx, cy - 50.0, 36.0, 40.0, [30, 24, 20]);
        ellipse(
            &mut img,
            cx + dx + 11.0,
            cy - 62.0,
            11.0,
            11.0,
            [255, 255, 255],
        );
    }
    // Nose and tongue.
    if pose % POSES != 1 {
        ellipse(&mut img, cx, cy + 180.0, 38.0, 45.0, [226, 110, 128]);
    }
    ellipse(&mut img, cx, cy + 70.0, 55.0, 38.0, [28, 22, 22]);
    ellipse(&mut img, cx - 14.0, cy + 60.0, 12.0, 8.0, [90, 84, 84]);
    img
}

/// The JPEG bytes of every variant, in `VARIANT_WIDTHS` order.
pub fn variants(full: &RgbImage) -> anyhow::Result<Vec<(u32, Vec<u8>)>> {
    let mut out = Vec::new();
    for width in VARIANT_WIDTHS {
        let height = width * full.height() / full.width();
        let resized;
        let img = if width == full.width() {
            full
        } else {
            resized = image::imageops::resize(full, width, height, FilterType::Triangle);
            &resized
        };
        let mut bytes = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 82).encode_image(img)?;
        out.push((width, bytes));
    }
    Ok(out)
}
