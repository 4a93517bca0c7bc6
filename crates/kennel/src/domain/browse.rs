//! The browse query: filters, sort order, and the page asked for (`domain::paging`).
//!
//! `BrowseParams` is what arrives on the query string (all text, so that nothing is
//! rejected by the deserializer except unknown or repeated names); `BrowseParams::parse`
//! turns it into a `BrowseQuery` or the complete list of bad fields.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::geo::{Coordinates, RadiusKm};
use super::paging::{Cursor, List, PageRequest};
use super::puppy::{AgeGroup, Coat, GoodWith, Sex, Size, Status};
use super::FieldError;

const MAX_QUERY_CHARS: usize = 200;
const MAX_QUERY_TERMS: usize = 8;
const MAX_TERM_CHARS: usize = 40;
const MAX_LIST_VALUES: usize = 20;

/// Sort orders of the browse list. A leading `-` reverses the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum Sort {
    /// Most recently listed first (the default).
    #[serde(rename = "newest")]
    Newest,
    /// Oldest listing first.
    #[serde(rename = "-newest")]
    Oldest,
    /// Nearest first; needs `near`.
    #[serde(rename = "distance")]
    Distance,
    /// Farthest first; needs `near`.
    #[serde(rename = "-distance")]
    DistanceDesc,
    /// Lowest adoption fee first.
    #[serde(rename = "fee")]
    Fee,
    /// Highest adoption fee first.
    #[serde(rename = "-fee")]
    FeeDesc,
}

impl Sort {
    const ALL: [Sort; 6] = [
        Sort::Newest,
        Sort::Oldest,
        Sort::Distance,
        Sort::DistanceDesc,
        Sort::Fee,
        Sort::FeeDesc,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Newest => "newest",
            Sort::Oldest => "-newest",
            Sort::Distance => "distance",
            Sort::DistanceDesc => "-distance",
            Sort::Fee => "fee",
            Sort::FeeDesc => "-fee",
        }
    }

    pub fn parse(value: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|s| s.as_str() == value)
    }

    pub fn descending(self) -> bool {
        matches!(self, Sort::Newest | Sort::DistanceDesc | Sort::FeeDesc)
    }

    pub fn needs_location(self) -> bool {
        matches!(self, Sort::Distance | Sort::DistanceDesc)
    }
}

/// The lowercase words of `text`: its runs of letters and digits.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// What a puppy is found by: the lowercase words of `text` separated by single spaces.
/// Search terms are cut from a query the same way, so a term matches a puppy exactly
/// when one of these words starts with it.
pub fn search_words(text: &str) -> String {
    words(&text.to_lowercase()).collect::<Vec<_>>().join(" ")
}

/// A free-text search, split into lowercase terms that each match a word prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchText {
    pub terms: Vec<String>,
}

impl SearchText {
    pub fn parse(value: &str) -> Result<SearchText, String> {
        if value.chars().count() > MAX_QUERY_CHARS {
            return Err(format!("must be at most {MAX_QUERY_CHARS} characters"));
        }
        let terms: Vec<String> = words(&value.to_lowercase())
            .map(|t| t.chars().take(MAX_TERM_CHARS).collect())
            .take(MAX_QUERY_TERMS)
            .collect();
        if terms.is_empty() {
            return Err("must contain at least one letter or digit".into());
        }
        Ok(SearchText { terms })
    }
}

/// Which puppies to list.
#[derive(Debug, Clone, PartialEq)]
pub struct BrowseFilter {
    pub breeds: Vec<String>,
    pub sizes: Vec<Size>,
    pub sexes: Vec<Sex>,
    pub ages: Vec<AgeGroup>,
    pub coats: Vec<Coat>,
    pub good_with: Vec<GoodWith>,
    pub statuses: Vec<Status>,
    pub organization: Option<Uuid>,
    pub near: Option<(Coordinates, RadiusKm)>,
    pub text: Option<SearchText>,
}

impl Default for BrowseFilter {
    fn default() -> Self {
        BrowseFilter {
            breeds: Vec::new(),
            sizes: Vec::new(),
            sexes: Vec::new(),
            ages: Vec::new(),
            coats: Vec::new(),
            good_with: Vec::new(),
            statuses: vec![Status::Available],
            organization: None,
            near: None,
            text: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct BrowseQuery {
    pub filter: BrowseFilter,
    pub sort: Sort,
    pub limit: u32,
    pub cursor: Option<Cursor>,
}

/// The browse list's query string. Lists accept repeated names
/// (`size=small&size=medium`) or commas (`size=small,medium`).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BrowseParams {
    /// Breed slugs (see `GET /v1/breeds`); matches the primary or secondary breed.
    #[serde(default)]
    #[param(value_type = Option<Vec<String>>, example = json!(["beagle"]))]
    pub breed: Vec<String>,
    /// Expected adult sizes.
    #[serde(default)]
    #[param(value_type = Option<Vec<Size>>)]
    pub size: Vec<String>,
    /// Sex.
    #[serde(default)]
    #[param(value_type = Option<Vec<Sex>>)]
    pub sex: Vec<String>,
    /// Age groups, derived from the birth date.
    #[serde(default)]
    #[param(value_type = Option<Vec<AgeGroup>>)]
    pub age: Vec<String>,
    /// Coat types.
    #[serde(default)]
    #[param(value_type = Option<Vec<Coat>>)]
    pub coat: Vec<String>,
    /// Only puppies known to be good with all of these.
    #[serde(default)]
    #[param(value_type = Option<Vec<GoodWith>>)]
    pub good_with: Vec<String>,
    /// Listing statuses; `available` when omitted.
    #[serde(default)]
    #[param(value_type = Option<Vec<Status>>)]
    pub status: Vec<String>,
    /// Only this organisation's puppies.
    #[param(value_type = Option<Uuid>)]
    pub organization: Option<String>,
    /// A point as `latitude,longitude`; each result then carries `distance_km`.
    #[param(value_type = Option<String>, example = "45.5152,-122.6784")]
    pub near: Option<String>,
    /// Search radius around `near` in km (default 50, at most 1000).
    #[param(value_type = Option<f64>, exclusive_minimum = 0, maximum = 1000)]
    pub radius_km: Option<String>,
    /// Free text matched against name, breed, colour and description (word prefixes).
    #[param(value_type = Option<String>, max_length = 200)]
    pub q: Option<String>,
    /// Sort order (default `newest`); `distance` needs `near`.
    #[param(value_type = Option<Sort>)]
    pub sort: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page (opaque; only the same sort order takes it).
    #[param(value_type = Option<String>)]
    pub cursor: Option<String>,
}

/// Splits repeated and comma-separated values and parses each with `parse`.
fn parse_list<T: PartialEq>(
    field: &str,
    raw: &[String],
    parse: impl Fn(&str) -> Option<T>,
    expected: impl Fn() -> String,
    errors: &mut Vec<FieldError>,
) -> Vec<T> {
    let mut values = Vec::new();
    let parts = raw.iter().flat_map(|v| v.split(',')).map(str::trim);
    for part in parts.filter(|p| !p.is_empty()) {
        match parse(part) {
            Some(v) if !values.contains(&v) => values.push(v),
            Some(_) => {}
            None => errors.push(FieldError::new(
                field,
                format!("'{part}' is not one of: {}", expected()),
            )),
        }
    }
    if values.len() > MAX_LIST_VALUES {
        errors.push(FieldError::new(
            field,
            format!("at most {MAX_LIST_VALUES} values"),
        ));
    }
    values
}

pub fn is_slug(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 64
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl BrowseParams {
    pub fn parse(self) -> Result<BrowseQuery, Vec<FieldError>> {
        let mut errors = Vec::new();
        let breeds = parse_list(
            "breed",
            &self.breed,
            |v| is_slug(v).then(|| v.to_string()),
            || "breed slugs such as 'labrador-retriever' (GET /v1/breeds lists them)".to_string(),
            &mut errors,
        );
        let sizes = parse_list("size", &self.size, Size::parse, Size::expected, &mut errors);
        let sexes = parse_list("sex", &self.sex, Sex::parse, Sex::expected, &mut errors);
        let ages = parse_list(
            "age",
            &self.age,
            AgeGroup::parse,
            AgeGroup::expected,
            &mut errors,
        );
        let coats = parse_list("coat", &self.coat, Coat::parse, Coat::expected, &mut errors);
        let good_with = parse_list(
            "good_with",
            &self.good_with,
            GoodWith::parse,
            GoodWith::expected,
            &mut errors,
        );
        let mut statuses = parse_list(
            "status",
            &self.status,
            Status::parse,
            Status::expected,
            &mut errors,
        );
        if statuses.is_empty() {
            statuses.push(Status::Available);
        }

        let organization = self.organization.as_deref().and_then(|raw| {
            Uuid::parse_str(raw.trim())
                .map_err(|_| errors.push(FieldError::new("organization", "is not a valid id")))
                .ok()
        });

        let centre = self.near.as_deref().and_then(|raw| {
            Coordinates::parse(raw)
                .map_err(|m| errors.push(FieldError::new("near", m)))
                .ok()
        });
        let radius = self.radius_km.as_deref().and_then(|raw| {
            RadiusKm::parse(raw)
                .map_err(|m| errors.push(FieldError::new("radius_km", m)))
                .ok()
        });
        if self.radius_km.is_some() && self.near.is_none() {
            errors.push(FieldError::new("radius_km", "needs `near`"));
        }
        let near = centre.map(|c| (c, radius.unwrap_or_else(RadiusKm::default_radius)));

        let text = self.q.as_deref().and_then(|raw| {
            SearchText::parse(raw)
                .map_err(|m| errors.push(FieldError::new("q", m)))
                .ok()
        });

        let sort = match self.sort.as_deref().map(str::trim) {
            None | Some("") => Sort::Newest,
            Some(raw) => Sort::parse(raw).unwrap_or_else(|| {
                let expected: Vec<&str> = Sort::ALL.iter().map(|s| s.as_str()).collect();
                errors.push(FieldError::new(
                    "sort",
                    format!("'{raw}' is not one of: {}", expected.join(", ")),
                ));
                Sort::Newest
            }),
        };
        if sort.needs_location() && self.near.is_none() {
            errors.push(FieldError::new("sort", "sorting by distance needs `near`"));
        }

        let page = PageRequest::parse(
            self.limit.as_deref(),
            self.cursor.as_deref(),
            List::Puppies(sort),
            &mut errors,
        );

        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(BrowseQuery {
            filter: BrowseFilter {
                breeds,
                sizes,
                sexes,
                ages,
                coats,
                good_with,
                statuses,
                organization,
                near,
                text,
            },
            sort,
            limit: page.limit,
            cursor: page.after,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::paging::CursorKey;

    fn params(query: &str) -> Result<BrowseQuery, Vec<FieldError>> {
        let p: BrowseParams = serde_html_form::from_str(query).expect("deserialises");
        p.parse()
    }

    #[test]
    fn defaults_are_available_newest_twenty() {
        let q = params("").unwrap();
        assert_eq!(q.filter.statuses, vec![Status::Available]);
        assert_eq!(q.sort, Sort::Newest);
        assert_eq!(q.limit, 20);
    }

    #[test]
    fn lists_accept_repeats_and_commas() {
        let q = params("size=small,medium&size=large&breed=beagle&breed=pug").unwrap();
        assert_eq!(q.filter.sizes, vec![Size::Small, Size::Medium, Size::Large]);
        assert_eq!(q.filter.breeds, vec!["beagle", "pug"]);
    }

    #[test]
    fn every_bad_field_is_reported() {
        let errors = params("size=huge&limit=0&near=100,0&sort=distance&q=%21%21").unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["size", "near", "q", "limit"]);
        let errors = params("sort=distance&radius_km=5").unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["radius_km", "sort"]);
    }

    #[test]
    fn unknown_parameters_are_refused() {
        assert!(serde_html_form::from_str::<BrowseParams>("colour=red").is_err());
    }

    #[test]
    fn a_cursor_is_taken_only_for_its_sort_order() {
        let fee = Cursor {
            list: List::Puppies(Sort::Fee),
            key: CursorKey::Integer(15000),
            id: Uuid::now_v7(),
        };
        let q = params(&format!("sort=fee&cursor={}", fee.encode())).unwrap();
        assert_eq!(q.cursor, Some(fee.clone()));
        let errors = params(&format!("sort=-fee&cursor={}", fee.encode())).unwrap_err();
        assert_eq!(errors[0].field, "cursor");
        assert!(errors[0].message.contains("different sort order"));
    }

    #[test]
    fn search_text_splits_into_terms() {
        let t = SearchText::parse("Golden  Retriever-mix!").unwrap();
        assert_eq!(t.terms, vec!["golden", "retriever", "mix"]);
        assert!(SearchText::parse("  ").is_err());
    }

    #[test]
    fn search_words_are_the_terms_a_query_would_cut() {
        let text = "Bo (Golden Retriever) — loves kids, ÉCOLE-trained!";
        assert_eq!(
            search_words(text),
            "bo golden retriever loves kids école trained"
        );
        let terms = SearchText::parse(text).unwrap().terms;
        assert_eq!(terms.join(" "), search_words(text));
    }
}
