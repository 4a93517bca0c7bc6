//! Turns one uploaded photo into the JPEG variants Kennel stores.
//!
//! The type comes from the file's first bytes, never from its name or the
//! declared content type. The header is read first and oversized images are
//! refused before any pixel is decoded, so a decompression bomb costs a few
//! bytes of parsing, not gigabytes of memory; the decoder also carries the same
//! limits. The EXIF orientation is applied to the pixels and the result is
//! re-encoded from scratch, so no metadata (EXIF, GPS, XMP, ICC comments)
//! survives into the stored files.
//!
//! Everything here is CPU-bound and synchronous: callers run it on the blocking
//! pool.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{
    ColorType, DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits, RgbImage,
    Rgba,
};

/// Widths of the stored variants; a photo narrower than one of them gets its own
/// width as the largest variant instead (photos are never upscaled).
pub const VARIANT_WIDTHS: [u32; 3] = [320, 640, 1280];
/// Largest accepted side, in pixels, before orientation.
pub const MAX_SIDE: u32 = 12_000;
/// Largest accepted image, in pixels, whatever its memory estimate.
pub const MAX_PIXELS: u64 = 40_000_000;
/// Smallest accepted side after orientation: anything smaller looks broken on a card.
pub const MIN_SIDE: u32 = 200;
/// The memory all conversions in this process may use at once, in bytes.
/// Each conversion reserves its estimate (`memory_estimate`, from the header,
/// before decoding) from this budget and waits while the budget is taken; a
/// photo whose estimate alone exceeds it is refused. See docs/operations.md,
/// "Limits against hostile clients", for the whole upload budget.
pub const CONVERSION_MEMORY_BUDGET: u64 = 160 * MIB;
/// Working memory of the resize besides the images themselves: the filter's
/// intermediate (at most `RESIZE_SCRATCH_CAP`) and the variants with their
/// JPEG encodings.
const RESIZE_SCRATCH: u64 = 48 * MIB;
/// Largest intermediate buffer of a filtered resize (16 bytes a pixel); past
/// it the variant is made by area averaging, which needs none.
const RESIZE_SCRATCH_CAP: u64 = 32 * MIB;
const MIB: u64 = 1024 * 1024;
const JPEG_QUALITY: u8 = 82;

/// The types accepted, as named to clients.
pub const ACCEPTED_TYPES: &str = "JPEG, PNG or WebP";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    WebP,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Jpeg => "JPEG",
            Kind::Png => "PNG",
            Kind::WebP => "WebP",
        }
    }

    fn format(self) -> ImageFormat {
        match self {
            Kind::Jpeg => ImageFormat::Jpeg,
            Kind::Png => ImageFormat::Png,
            Kind::WebP => ImageFormat::WebP,
        }
    }
}

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Accepted(Kind),
    /// HEIC/HEIF (an ISO-BMFF `ftyp` box with an HEIF brand): common from iPhones,
    /// but no maintained decoder builds into Kennel's static binary.
    Heif,
    Other,
}

pub fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Sniffed::Accepted(Kind::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Sniffed::Accepted(Kind::Png);
    }
    if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Sniffed::Accepted(Kind::WebP);
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        const HEIF_BRANDS: [&[u8]; 8] = [
            b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1",
        ];
        if HEIF_BRANDS.contains(&&bytes[8..12]) {
            return Sniffed::Heif;
        }
    }
    Sniffed::Other
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("is a HEIC/HEIF photo, which Kennel cannot read yet; send it as {ACCEPTED_TYPES} (phones can export or share as JPEG)")]
    Heif,
    #[error(
        "is not a {ACCEPTED_TYPES} image (the type is read from the file's content, not its name)"
    )]
    Unsupported,
    #[error("could not be read as {kind}: it is damaged or incomplete")]
    Damaged { kind: &'static str },
    #[error("is {width}×{height} pixels; the largest accepted is {MAX_SIDE} pixels on a side and {} megapixels", MAX_PIXELS / 1_000_000)]
    TooLarge { width: u32, height: u32 },
    #[error("is {width}×{height} pixels; photos must be at least {MIN_SIDE} pixels on each side")]
    TooSmall { width: u32, height: u32 },
    #[error("is {width}×{height} pixels of {bits}-bit {channels}-channel colour, which needs about {} MiB to convert; the most a photo may need is {} MiB (an 8-bit JPEG of up to about 37 megapixels)", needed / MIB, CONVERSION_MEMORY_BUDGET / MIB)]
    TooMuchMemory {
        width: u32,
        height: u32,
        bits: u16,
        channels: u8,
        needed: u64,
    },
}

/// One stored size of a photo.
#[derive(Debug, Clone)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub jpeg: Vec<u8>,
}

/// A processed photo: its variants, smallest first.
#[derive(Debug, Clone)]
pub struct Processed {
    pub kind: Kind,
    pub variants: Vec<Variant>,
}

impl Processed {
    /// The size of the largest variant.
    pub fn size(&self) -> (u32, u32) {
        self.variants
            .last()
            .map(|v| (v.width, v.height))
            .unwrap_or((0, 0))
    }

    pub fn widths(&self) -> Vec<u32> {
        self.variants.iter().map(|v| v.width).collect()
    }
}

/// The variant widths for an image `width` pixels wide.
pub fn variant_widths(width: u32) -> Vec<u32> {
    let largest = width.min(VARIANT_WIDTHS[VARIANT_WIDTHS.len() - 1]);
    let mut widths: Vec<u32> = VARIANT_WIDTHS
        .into_iter()
        .filter(|w| *w < largest)
        .collect();
    widths.push(largest);
    widths
}

fn too_large(width: u32, height: u32) -> bool {
    width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS
}

/// A JPEG is complete when an end-of-image marker follows its first scan.
///
/// The JPEG decoder fills a truncated scan with grey instead of failing, which
/// would store a half-grey photo; this catches the cut-off upload instead. The
/// walk skips marker segments (whose payloads, like an EXIF thumbnail, may hold
/// their own end marker) up to the first start-of-scan; inside entropy-coded
/// data a 0xFF byte is always followed by 0x00 or a restart marker, so the next
/// 0xFFD9 is the real end.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let mut i = 2;
    loop {
        // Skip fill bytes before a marker.
        while i < bytes.len() && bytes[i] == 0xFF && bytes.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        if i + 4 > bytes.len() || bytes[i] != 0xFF {
            return false;
        }
        let marker = bytes[i + 1];
        let length = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        if marker == 0xDA {
            let scan = &bytes[(i + 2 + length).min(bytes.len())..];
            return scan.windows(2).any(|w| w == [0xFF, 0xD9]);
        }
        i += 2 + length;
    }
}

/// What the header says about an upload, before any pixel is decoded.
#[derive(Debug, Clone, Copy)]
pub struct Inspected {
    pub kind: Kind,
    pub width: u32,
    pub height: u32,
    /// The most memory converting it may take, in bytes.
    pub memory: u64,
}

/// Whether this orientation makes a rotated copy (the others work in place).
fn rotates(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

/// An upper bound of the memory one conversion takes, from the header: the
/// decoded pixels (every channel at its bit depth: an RGBA image at 16 bits a
/// channel is 8 bytes a pixel), a rotated copy while the orientation is applied,
/// the 8-bit copies made to flatten it, and the resize's working memory.
pub fn memory_estimate(width: u32, height: u32, color: ColorType, orientation: Orientation) -> u64 {
    let pixels = u64::from(width) * u64::from(height);
    let decoded = pixels.saturating_mul(u64::from(color.bytes_per_pixel()));
    let oriented = if rotates(orientation) {
        decoded.saturating_mul(2)
    } else {
        decoded
    };
    // Flattening: the decoded image and its 8-bit RGBA copy, then that copy
    // and the RGB result; an 8-bit RGB image needs no copy.
    let flattened = match color {
        ColorType::Rgb8 => decoded,
        ColorType::Rgba8 => decoded + 3 * pixels,
        c if c.has_alpha() => (decoded + 4 * pixels).max(7 * pixels),
        _ => decoded + 3 * pixels,
    };
    oriented.max(flattened).saturating_add(RESIZE_SCRATCH)
}

fn reader(bytes: &[u8], kind: Kind) -> ImageReader<Cursor<&[u8]>> {
    ImageReader::with_format(Cursor::new(bytes), kind.format())
}

/// Reads the type and header of an upload and refuses, before decoding, what
/// is too large in pixels or in the memory converting it would take.
pub fn inspect(bytes: &[u8]) -> Result<Inspected, PhotoError> {
    let kind = match sniff(bytes) {
        Sniffed::Accepted(kind) => kind,
        Sniffed::Heif => return Err(PhotoError::Heif),
        Sniffed::Other => return Err(PhotoError::Unsupported),
    };
    if kind == Kind::Jpeg && !jpeg_is_complete(bytes) {
        return Err(PhotoError::Damaged { kind: kind.name() });
    }
    // The header alone: refuse a bomb before the decoder allocates anything.
    let damaged = |_| PhotoError::Damaged { kind: kind.name() };
    let (width, height) = reader(bytes, kind).into_dimensions().map_err(damaged)?;
    if too_large(width, height) {
        return Err(PhotoError::TooLarge { width, height });
    }
    let mut decoder = reader(bytes, kind).into_decoder().map_err(damaged)?;
    let color = decoder.color_type();
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let memory = memory_estimate(width, height, color, orientation);
    if memory > CONVERSION_MEMORY_BUDGET {
        return Err(PhotoError::TooMuchMemory {
            width,
            height,
            bits: color.bits_per_pixel() / u16::from(color.channel_count()),
            channels: color.channel_count(),
            needed: memory,
        });
    }
    Ok(Inspected {
        kind,
        width,
        height,
        memory,
    })
}

/// Decodes `bytes` within the limits and returns the upright image.
pub fn decode(bytes: &[u8]) -> Result<(Kind, DynamicImage), PhotoError> {
    let Inspected {
        kind,
        width,
        height,
        ..
    } = inspect(bytes)?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    // The decoder checks its own allocations against the budget too.
    limits.max_alloc = Some(CONVERSION_MEMORY_BUDGET);
    let mut reader = reader(bytes, kind);
    reader.limits(limits);
    let limited = |error| match error {
        ImageError::Limits(_) => PhotoError::TooLarge { width, height },
        _ => PhotoError::Damaged { kind: kind.name() },
    };
    let mut decoder = reader.into_decoder().map_err(limited)?;
    // A malformed EXIF block only loses the orientation, not the photo.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(limited)?;
    image.apply_orientation(orientation);
    Ok((kind, image))
}

/// Flattens transparency onto white (JPEG has no alpha; the bare colour values
/// under transparent pixels are often black).
fn flatten(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let Rgba([r, g, b, a]) = *rgba.get_pixel(x, y);
        let blend = |c: u8| -> u8 {
            ((u32::from(c) * u32::from(a) + 255 * (255 - u32::from(a)) + 127) / 255) as u8
        };
        image::Rgb([blend(r), blend(g), blend(b)])
    })
}

fn encode(image: &RgbImage) -> Vec<u8> {
    let mut jpeg = Vec::with_capacity(image.as_raw().len() / 8);
    JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
        .encode_image(image)
        // Encoding an in-memory RGB buffer into a Vec cannot fail.
        .expect("JPEG encoding of an RGB buffer");
    jpeg
}

/// Decodes, checks, orients and re-encodes one uploaded photo.
pub fn process(bytes: &[u8]) -> Result<Processed, PhotoError> {
    let (kind, image) = decode(bytes)?;
    let (width, height) = (image.width(), image.height());
    if width < MIN_SIDE || height < MIN_SIDE {
        return Err(PhotoError::TooSmall { width, height });
    }
    let upright = flatten(image);
    let mut widths = variant_widths(width);
    widths.reverse();
    // Largest first, each resized from the one before: a 12-megapixel photo is
    // filtered once at full size, then cheaply from 1280 down.
    let mut variants = Vec::with_capacity(widths.len());
    let mut source = upright;
    for target in widths {
        let target_height = ((u64::from(target) * u64::from(height) + u64::from(width) / 2)
            / u64::from(width))
        .max(1) as u32;
        if target != source.width() {
            // The filter's intermediate is the source's width by the target's
            // height at 16 bytes a pixel: 245 MB for a tall 40-megapixel photo.
            // Past the cap, area averaging (no intermediate) makes the variant.
            let scratch = u64::from(source.width()) * u64::from(target_height) * 16;
            source = if scratch > RESIZE_SCRATCH_CAP {
                image::imageops::thumbnail(&source, target, target_height)
            } else {
                image::imageops::resize(&source, target, target_height, FilterType::CatmullRom)
            };
        }
        variants.push(Variant {
            width: target,
            height: source.height(),
            jpeg: encode(&source),
        });
    }
    variants.reverse();
    Ok(Processed { kind, variants })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        encode(&RgbImage::from_pixel(
            width,
            height,
            image::Rgb([200, 120, 40]),
        ))
    }

    #[test]
    fn variants_never_upscale() {
        assert_eq!(variant_widths(4000), vec![320, 640, 1280]);
        assert_eq!(variant_widths(1280), vec![320, 640, 1280]);
        assert_eq!(variant_widths(1000), vec![320, 640, 1000]);
        assert_eq!(variant_widths(320), vec![320]);
        assert_eq!(variant_widths(250), vec![250]);
    }

    #[test]
    fn sniffs_by_content() {
        assert_eq!(sniff(&jpeg(10, 10)), Sniffed::Accepted(Kind::Jpeg));
        assert_eq!(sniff(b"GIF89a\x01\x00"), Sniffed::Other);
        assert_eq!(sniff(b"\0\0\0\x18ftypheic\0\0\0\0"), Sniffed::Heif);
        assert_eq!(sniff(b"\0\0\0\x18ftypisom\0\0\0\0"), Sniffed::Other);
        assert_eq!(sniff(b""), Sniffed::Other);
    }

    #[test]
    fn a_cut_jpeg_is_incomplete() {
        let whole = jpeg(300, 200);
        assert!(jpeg_is_complete(&whole));
        for cut in [3, 20, whole.len() / 2, whole.len() - 1] {
            assert!(!jpeg_is_complete(&whole[..cut]), "cut at {cut}");
            assert!(matches!(
                process(&whole[..cut]),
                Err(PhotoError::Damaged { kind: "JPEG" })
            ));
        }
    }

    #[test]
    fn sizes_are_checked() {
        assert_eq!(
            process(&jpeg(150, 400)).unwrap_err(),
            PhotoError::TooSmall {
                width: 150,
                height: 400
            }
        );
        let ok = process(&jpeg(700, 300)).unwrap();
        assert_eq!(ok.widths(), vec![320, 640, 700]);
        assert_eq!(ok.size(), (700, 300));
        assert_eq!((ok.variants[0].width, ok.variants[0].height), (320, 137));
    }

    #[test]
    fn transparency_is_flattened_onto_white() {
        let clear =
            DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(2, 2, Rgba([0, 0, 0, 0])));
        assert_eq!(flatten(clear).get_pixel(0, 0).0, [255, 255, 255]);
    }
}
