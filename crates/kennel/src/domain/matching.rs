//! Matching a listing that becomes available against saved searches, without
//! reading every search.
//!
//! A saved search is indexed (`SearchKeys`) under the grid cells its circle
//! touches and the breeds it asks for; everything else in its filter is kept
//! beside the key and tested in SQL: bit sets, and the circle as a unit vector
//! and the least dot product a place inside has with it (`Reach`); only text
//! terms are tested here, as browse tests them. A listing looks up the few
//! keys its place and breeds fall in (`listing_cells`), so the cost follows the
//! searches near it that could match, not all searches.
//!
//! The dot product of two unit vectors is the cosine of the angle between
//! them, so "within `r` km" is `dot >= cos(r / R)`: the same great-circle
//! distance as `haversine_km`, written as arithmetic both databases evaluate
//! in an index scan. For radii of 100 m and more the two agree to well under a
//! millimetre (`the_dot_product_agrees_with_haversine`).
//!
//! Cells form levels: at level `k` the world is cut into squares of
//! `0.125 × 2^k` degrees of latitude and longitude (level 0 ≈ 14 km, level 8 =
//! 32°). A search is indexed at the finest level where its bounding box
//! touches at most four squares, so a circle is never indexed under more than
//! four keys per breed and its squares are never much larger than it. A listing
//! belongs to one square per level. A search whose box cannot be cut this way
//! (one reaching a pole, or wider than 32°) and a search with no place are
//! indexed under `EVERYWHERE`, which every listing looks up.

use chrono::NaiveDate;
use uuid::Uuid;

use super::browse::{BrowseFilter, BrowseParams, SearchText};
use super::geo::{Coordinates, RadiusKm, EARTH_RADIUS_KM};
use super::puppy::{AgeGroup, Coat, GoodWith, Sex, Size, Status};

/// The cell every listing looks up.
pub const EVERYWHERE: i64 = 0;
/// Levels 0..LEVELS; the finest square is `FINEST_DEGREES` wide.
const LEVELS: u32 = 9;
const FINEST_DEGREES: f64 = 0.125;
/// The most squares a search is indexed under (per breed).
const MAX_SQUARES: usize = 4;

fn square_degrees(level: u32) -> f64 {
    FINEST_DEGREES * f64::from(1u32 << level)
}

/// The square of `level` holding (`lat_index`, `lng_index`), as one integer:
/// the level (plus one, so no square is `EVERYWHERE`) above 20 bits of each index.
fn cell(level: u32, lat_index: i64, lng_index: i64) -> i64 {
    (i64::from(level + 1) << 40) | (lat_index << 20) | lng_index
}

fn lat_index(level: u32, lat: f64) -> i64 {
    let rows = (180.0 / square_degrees(level)) as i64;
    (((lat + 90.0) / square_degrees(level)).floor() as i64).clamp(0, rows - 1)
}

fn lng_index(level: u32, lng: f64) -> i64 {
    let columns = (360.0 / square_degrees(level)) as i64;
    (((lng + 180.0) / square_degrees(level)).floor() as i64).clamp(0, columns - 1)
}

/// The keys a listing at `at` is looked up under: its square at every level,
/// and `EVERYWHERE`.
pub fn listing_cells(at: Coordinates) -> Vec<i64> {
    let mut cells: Vec<i64> = (0..LEVELS)
        .map(|level| cell(level, lat_index(level, at.lat), lng_index(level, at.lng)))
        .collect();
    cells.push(EVERYWHERE);
    cells
}

/// The keys a search around `centre` within `radius` is indexed under: every
/// square of one level that the circle's bounding box touches.
pub fn search_cells(centre: Coordinates, radius: RadiusKm) -> Vec<i64> {
    let dlat = (radius.km() / EARTH_RADIUS_KM).to_degrees();
    let (min_lat, max_lat) = (centre.lat - dlat, centre.lat + dlat);
    if min_lat <= -90.0 || max_lat >= 90.0 {
        return vec![EVERYWHERE];
    }
    // The widest longitude span is at the box's latitude farthest from the equator.
    let widest = min_lat.abs().max(max_lat.abs()).to_radians();
    let ratio = (radius.km() / EARTH_RADIUS_KM).sin() / widest.cos();
    if ratio >= 1.0 {
        return vec![EVERYWHERE];
    }
    let dlng = ratio.asin().to_degrees();
    // Longitude ranges, split where the box crosses the antimeridian.
    let (west, east) = (centre.lng - dlng, centre.lng + dlng);
    let ranges: Vec<(f64, f64)> = if west < -180.0 {
        vec![(west + 360.0, 180.0), (-180.0, east)]
    } else if east > 180.0 {
        vec![(west, 180.0), (-180.0, east - 360.0)]
    } else {
        vec![(west, east)]
    };
    for level in 0..LEVELS {
        let rows = lat_index(level, min_lat)..=lat_index(level, max_lat);
        let mut columns: Vec<i64> = ranges
            .iter()
            .flat_map(|&(w, e)| lng_index(level, w)..=lng_index(level, e))
            .collect();
        columns.dedup();
        if rows.clone().count() * columns.len() <= MAX_SQUARES {
            return rows
                .flat_map(|row| columns.iter().map(move |&column| cell(level, row, column)))
                .collect();
        }
    }
    vec![EVERYWHERE]
}

/// A place as the unit vector from the Earth's centre.
pub fn unit_vector(at: Coordinates) -> [f64; 3] {
    let (lat, lng) = (at.lat.to_radians(), at.lng.to_radians());
    [lat.cos() * lng.cos(), lat.cos() * lng.sin(), lat.sin()]
}

/// A search circle as SQL tests it: a place `p` is inside when
/// `unit_vector(p) · centre >= min_dot`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reach {
    pub centre: [f64; 3],
    pub min_dot: f64,
}

impl Reach {
    pub fn of(centre: Coordinates, radius: RadiusKm) -> Reach {
        Reach {
            centre: unit_vector(centre),
            min_dot: (radius.km() / EARTH_RADIUS_KM)
                .min(std::f64::consts::PI)
                .cos(),
        }
    }

    pub fn contains(&self, at: Coordinates) -> bool {
        let p = unit_vector(at);
        p[0] * self.centre[0] + p[1] * self.centre[1] + p[2] * self.centre[2] >= self.min_dot
    }
}

/// The position of `value` in `all` as a bit.
fn bit<T: PartialEq>(all: &[T], value: &T) -> i32 {
    all.iter().position(|v| v == value).map_or(0, |i| 1 << i)
}

fn bits<T: PartialEq>(all: &[T], values: &[T]) -> i32 {
    values.iter().fold(0, |acc, v| acc | bit(all, v))
}

/// A saved search as the matching index keeps it. Bit sets are 0 for "any".
#[derive(Debug, Clone, PartialEq)]
pub struct SearchKeys {
    pub cells: Vec<i64>,
    /// Breed slugs; `[""]` for any breed.
    pub breeds: Vec<String>,
    pub sizes: i32,
    pub sexes: i32,
    pub ages: i32,
    pub coats: i32,
    /// What the puppy must be known to be good with (all of them).
    pub good_with: i32,
    pub organization: Option<Uuid>,
    pub reach: Option<Reach>,
    /// The text terms, separated by spaces.
    pub terms: Option<String>,
}

impl SearchKeys {
    /// The keys of a search for `filter`; `None` when it can never match a
    /// listing that becomes available (it asks only for other statuses).
    pub fn of(filter: &BrowseFilter) -> Option<SearchKeys> {
        if !filter.statuses.contains(&Status::Available) {
            return None;
        }
        let cells = match filter.near {
            Some((centre, radius)) => search_cells(centre, radius),
            None => vec![EVERYWHERE],
        };
        let breeds = if filter.breeds.is_empty() {
            vec![String::new()]
        } else {
            filter.breeds.clone()
        };
        Some(SearchKeys {
            cells,
            breeds,
            sizes: bits(Size::ALL, &filter.sizes),
            sexes: bits(Sex::ALL, &filter.sexes),
            ages: bits(AgeGroup::ALL, &filter.ages),
            coats: bits(Coat::ALL, &filter.coats),
            good_with: bits(GoodWith::ALL, &filter.good_with),
            organization: filter.organization,
            reach: filter
                .near
                .map(|(centre, radius)| Reach::of(centre, radius)),
            terms: filter.text.as_ref().map(|t| t.terms.join(" ")),
        })
    }

    /// The keys of a saved query string (as kept: validated when it was saved);
    /// `None` when it does not parse any more or can never match.
    pub fn of_query(query: &str) -> Option<SearchKeys> {
        let params: BrowseParams = serde_html_form::from_str(query).ok()?;
        SearchKeys::of(&params.parse().ok()?.filter)
    }
}

/// What matching needs to know of a listing.
#[derive(Debug, Clone, PartialEq)]
pub struct ListingFacts {
    pub id: Uuid,
    /// Primary and, when there is one, secondary breed slug.
    pub breeds: Vec<String>,
    pub size: Size,
    pub sex: Sex,
    pub coat: Coat,
    pub birth_date: NaiveDate,
    pub good_with: Vec<GoodWith>,
    pub organization: Uuid,
    pub at: Coordinates,
    /// The listing's search words (`domain::browse::search_words`).
    pub words: String,
}

/// The bit values a listing is tested with in SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListingBits {
    pub size: i32,
    pub sex: i32,
    pub age: i32,
    pub coat: i32,
    /// What the listing is not known to be good with: a search asking for any
    /// of these does not match.
    pub not_good_with: i32,
}

impl ListingFacts {
    pub fn bits(&self, today: NaiveDate) -> ListingBits {
        let good = bits(GoodWith::ALL, &self.good_with);
        let all = bits(GoodWith::ALL, GoodWith::ALL);
        ListingBits {
            size: bit(Size::ALL, &self.size),
            sex: bit(Sex::ALL, &self.sex),
            age: bit(AgeGroup::ALL, &AgeGroup::of(self.birth_date, today)),
            coat: bit(Coat::ALL, &self.coat),
            not_good_with: all & !good,
        }
    }

    /// The breed keys to look up: the listing's breeds and "any breed".
    pub fn breed_keys(&self) -> Vec<String> {
        let mut keys = self.breeds.clone();
        keys.push(String::new());
        keys
    }
}

/// Whether a listing with search words `words` has every term of `terms`
/// (space-separated), as browse decides it: each term starts one of the words.
pub fn has_terms(words: &str, terms: &str) -> bool {
    let Ok(text) = SearchText::parse(terms) else {
        return false;
    };
    text.terms
        .iter()
        .all(|term| words.split(' ').any(|word| word.starts_with(term.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::geo::{destination, haversine_km};

    fn at(lat: f64, lng: f64) -> Coordinates {
        Coordinates::new(lat, lng).unwrap()
    }

    /// A deterministic sequence in 0.0..1.0 (xorshift), for sampling places.
    struct Sampler(u64);
    impl Sampler {
        fn next(&mut self) -> f64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// Every point inside a circle shares a key with the circle's search, for
    /// circles anywhere: at the antimeridian, near the poles, tiny and huge.
    #[test]
    fn every_point_in_the_circle_is_found() {
        let mut sample = Sampler(0x9e37_79b9_7f4a_7c15);
        let mut centres = vec![
            at(45.5152, -122.6784),
            at(-17.7, 179.9),
            at(65.0, -179.95),
            at(0.0, 180.0),
            at(84.0, 10.0),
            at(-84.0, -60.0),
            at(0.0, 0.0),
        ];
        for _ in 0..300 {
            centres.push(at(
                sample.next() * 170.0 - 85.0,
                sample.next() * 360.0 - 180.0,
            ));
        }
        for centre in centres {
            for km in [1.0, 5.0, 14.0, 50.0, 400.0, 1000.0] {
                let radius = RadiusKm::parse(&km.to_string()).unwrap();
                let keys = search_cells(centre, radius);
                assert!(keys.len() <= MAX_SQUARES, "{centre:?} {km}: {keys:?}");
                for i in 0..24 {
                    let bearing = f64::from(i) * 15.0 + sample.next() * 15.0;
                    let point = destination(centre, bearing, km * sample.next().sqrt() * 0.999);
                    let found = listing_cells(point);
                    assert!(
                        keys.iter().any(|k| found.contains(k)),
                        "{point:?} is within {km} km of {centre:?} but shares no key"
                    );
                }
            }
        }
    }

    /// The dot-product test and haversine agree, except within a millimetre
    /// of the edge.
    #[test]
    fn the_dot_product_agrees_with_haversine() {
        let mut sample = Sampler(0x1234_5678_9abc_def1);
        let mut disagreements = 0;
        for _ in 0..200_000 {
            let a = at(sample.next() * 180.0 - 90.0, sample.next() * 360.0 - 180.0);
            let km = 0.1 + sample.next() * 999.9;
            let b = destination(a, sample.next() * 360.0, km * 2.0 * sample.next());
            let d = haversine_km(a, b);
            let inside = Reach::of(a, RadiusKm::parse(&km.to_string()).unwrap()).contains(b);
            if inside != (d <= km) {
                assert!((d - km).abs() < 1e-6, "{a:?} {b:?}: {d} km against {km} km");
                disagreements += 1;
            }
        }
        assert!(disagreements < 5, "{disagreements}");
    }

    #[test]
    fn a_search_is_indexed_at_a_level_near_its_size() {
        let portland = at(45.5152, -122.6784);
        let small = search_cells(portland, RadiusKm::parse("5").unwrap());
        assert!(small.iter().all(|c| c >> 40 == 1), "{small:?}");
        let wide = search_cells(portland, RadiusKm::parse("1000").unwrap());
        assert!(wide.iter().all(|c| c >> 40 >= 7), "{wide:?}");
        // Reaching the pole: indexed everywhere, found by every listing.
        assert_eq!(
            search_cells(at(89.5, 0.0), RadiusKm::parse("100").unwrap()),
            vec![EVERYWHERE]
        );
        assert!(listing_cells(at(-60.0, 30.0)).contains(&EVERYWHERE));
    }

    #[test]
    fn the_exact_test_follows_browse() {
        let listing = ListingFacts {
            id: Uuid::nil(),
            breeds: vec!["beagle".into()],
            size: Size::Small,
            sex: Sex::Female,
            coat: Coat::Short,
            birth_date: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            good_with: vec![GoodWith::Kids],
            organization: Uuid::nil(),
            at: at(45.5152, -122.6784),
            words: "daisy beagle tricolour loves kids".into(),
        };
        let east = destination(listing.at, 90.0, 10.0);
        let reach = |km: &str| Reach::of(east, RadiusKm::parse(km).unwrap());
        assert!(reach("10.001").contains(listing.at));
        assert!(!reach("9.999").contains(listing.at));
        assert!(has_terms(&listing.words, "bea tri"));
        assert!(!has_terms(&listing.words, "beagle cat"));
        assert!(!has_terms(&listing.words, "agle"));

        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let bits = listing.bits(today);
        let query = "size=small,medium&good_with=kids&age=baby&breed=beagle&near=45.6,-122.6";
        let keys = SearchKeys::of_query(query).unwrap();
        assert_ne!(keys.sizes & bits.size, 0);
        assert_ne!(keys.ages & bits.age, 0);
        assert_eq!(keys.good_with & bits.not_good_with, 0);
        assert_eq!(keys.breeds, vec!["beagle"]);
        let cats = SearchKeys::of_query("good_with=kids,cats").unwrap();
        assert_ne!(cats.good_with & bits.not_good_with, 0);
        assert!(SearchKeys::of_query("status=adopted").is_none());
        assert_eq!(SearchKeys::of_query("").unwrap().cells, vec![EVERYWHERE]);
        assert_eq!(SearchKeys::of_query("").unwrap().breeds, vec![""]);
    }
}
