//! The rules for text people type that others will read (display names, puppy
//! names, colours and descriptions, inquiry messages): stored in Unicode NFC, so
//! the same words are the same bytes; no control characters (line breaks only
//! where the field has lines); no bidirectional overrides or isolates, which
//! can make text read differently from what it is (U+202A–U+202E,
//! U+2066–U+2069); and at least one visible character, so a name cannot be made
//! of zero-width spaces, blank Hangul fillers or other invisible characters alone.

use unicode_normalization::UnicodeNormalization;

/// The message for text holding NUL, which no database column can store.
pub const NO_NUL: &str = "must not contain NUL (U+0000) characters";

/// Whether a field is one line (names) or may hold line breaks (descriptions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

/// Bidirectional embeddings, overrides and isolates.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that show nothing: every kind of white space; zero-width
/// spaces, joiners and direction marks; the word joiner and invisible
/// operators; the byte-order mark; the soft hyphen; the Mongolian vowel
/// separator; the combining grapheme joiner; the Arabic letter mark; the
/// Hangul fillers (they render as blank letters); the blank Braille pattern;
/// the Khmer inherent vowels; the musical formatting marks; the variation
/// selectors; and the tag characters. Some of these belong inside real text
/// (joiners in emoji sequences, tags in subdivision flags, selectors after a
/// symbol), so only text made of nothing else is refused.
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}'
                | '\u{2060}'..='\u{2064}'
                | '\u{FEFF}'
                | '\u{00AD}'
                | '\u{180E}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{3164}'
                | '\u{FFA0}'
                | '\u{2800}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{E0100}'..='\u{E01EF}'
                | '\u{E0000}'..='\u{E007F}'
        )
}

/// Trims, normalises to NFC and checks `raw`; `max` is in characters as sent. The message is phrased for a person, to follow the field name.
pub fn clean(raw: &str, max: usize, lines: Lines) -> Result<String, String> {
    let text: String = raw.trim().nfc().collect();
    let text = match lines {
        Lines::One => text,
        Lines::Many => text.replace("\r\n", "\n").replace('\r', "\n"),
    };
    // Counted as sent, surrounding white space included, which is what
    // `maxLength` in the API document counts (a name of 80 characters after a
    // line break is 81 to a client checking the document); NFC may lengthen a
    // few rare characters, so the normalised text is not what is counted.
    if raw.trim().is_empty() || raw.chars().count() > max {
        return Err(format!("must be 1 to {max} characters"));
    }
    let allowed_control = |c: char| lines == Lines::Many && matches!(c, '\n' | '\t');
    if text.chars().any(|c| c.is_control() && !allowed_control(c)) {
        return Err(match lines {
            Lines::One => "must not contain control characters or line breaks".into(),
            Lines::Many => "must not contain control characters".into(),
        });
    }
    if text.chars().any(is_bidi_control) {
        return Err(
            "must not contain bidirectional override or isolate characters (U+202A–U+202E, U+2066–U+2069)"
                .into(),
        );
    }
    if text.chars().all(is_invisible) {
        return Err("must contain visible characters, not only invisible ones".into());
    }
    Ok(text)
}

/// Like `clean`, but empty is allowed (an optional text that may be cleared).
pub fn clean_optional(raw: &str, max: usize, lines: Lines) -> Result<String, String> {
    if raw.trim().is_empty() {
        return Ok(String::new());
    }
    clean(raw, max, lines).map_err(|m| {
        if m.starts_with("must be 1 to") {
            format!("must be at most {max} characters")
        } else {
            m
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_stored_in_nfc() {
        // "é" as e + combining acute becomes the one precomposed character.
        assert_eq!(clean("Rene\u{301}e", 10, Lines::One).unwrap(), "Ren\u{e9}e");
        assert_eq!(clean("  Pixel  ", 10, Lines::One).unwrap(), "Pixel");
    }

    #[test]
    fn control_bidi_and_invisible_only_text_is_refused() {
        assert!(clean("a\u{7}b", 10, Lines::One).is_err());
        assert!(clean("a\nb", 10, Lines::One).is_err());
        assert_eq!(clean("a\r\nb", 10, Lines::Many).unwrap(), "a\nb");
        assert!(clean("a\u{0}b", 10, Lines::Many).is_err());
        for bidi in ['\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}'] {
            assert!(
                clean(&format!("abc{bidi}def"), 20, Lines::One).is_err(),
                "{bidi:?}"
            );
        }
        assert!(clean("\u{200B}\u{200B}", 10, Lines::One).is_err());
        assert!(clean("\u{200D}\u{FEFF}\u{2060}", 10, Lines::One).is_err());
        // Letters that render blank, the blank Braille pattern, variation
        // selectors and tag characters, alone.
        for blank in [
            "\u{3164}\u{3164}",
            "\u{115F}\u{1160}",
            "\u{FFA0}",
            "\u{2800}\u{2800}\u{2800}",
            "\u{FE0F}\u{E0100}",
            "\u{E0067}\u{E0062}\u{E007F}",
            "\u{061C}\u{17B4}\u{1D173}",
        ] {
            assert_eq!(
                clean(blank, 20, Lines::One).unwrap_err(),
                "must contain visible characters, not only invisible ones",
                "{blank:?}"
            );
        }
        // Zero-width joiners inside real text (emoji sequences) are fine, and
        // so are the tags of a subdivision flag and a variation selector.
        assert!(clean("Ada \u{1F469}\u{200D}\u{1F4BB}", 20, Lines::One).is_ok());
        assert!(clean(
            "Rex \u{1F3F4}\u{E0067}\u{E0062}\u{E0077}\u{E006C}\u{E0073}\u{E007F}",
            20,
            Lines::One
        )
        .is_ok());
        assert!(clean("\u{2764}\u{FE0F}", 20, Lines::One).is_ok());
        assert!(clean("", 10, Lines::One).is_err());
        assert_eq!(clean_optional("", 10, Lines::Many).unwrap(), "");
        assert!(clean_optional("\u{200B}", 10, Lines::Many).is_err());
        assert_eq!(
            clean_optional(&"x".repeat(11), 10, Lines::Many).unwrap_err(),
            "must be at most 10 characters"
        );
    }

    #[test]
    fn the_limit_counts_characters_as_sent_like_the_api_document() {
        assert_eq!(
            clean(&"é".repeat(10), 10, Lines::One).unwrap(),
            "é".repeat(10)
        );
        // Ten characters once trimmed, but eleven as sent: over a maxLength of 10.
        let padded = format!("\n{}", "x".repeat(10));
        assert_eq!(
            clean(&padded, 10, Lines::One).unwrap_err(),
            "must be 1 to 10 characters"
        );
        assert!(clean(&format!(" {} ", "x".repeat(8)), 10, Lines::One).is_ok());
        // A character outside the Basic Multilingual Plane is one, not two.
        assert!(clean(&"\u{1F436}".repeat(10), 10, Lines::One).is_ok());
    }
}
